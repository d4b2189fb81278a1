package io.vigil.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SQL scalar expressions. Function names, operators and type names come from the dialect, never from
 * user text; user values are {@link SqlParameter}s (bound over JDBC) or {@link SqlLiteral}s whose text
 * the factories produce from typed values.
 */
public sealed interface SqlExpression {
    Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    Pattern OPERATOR = Pattern.compile("[-+*/%<>=!|&~^]{1,3}|[A-Z]+( [A-Z]+)*");
    Pattern TYPE = Pattern.compile("[A-Z]+(\\[\\])?|MAP\\(VARCHAR, JSON\\)");

    /** A column of a relation in scope, optionally qualified by the relation's alias. */
    record SqlColumn(Optional<String> qualifier, String name) implements SqlExpression {
        public SqlColumn {
            requireNonNull(qualifier, "qualifier is null");
            requireNonNull(name, "name is null");
        }

        public static SqlColumn of(String qualifier, String name) {
            return new SqlColumn(Optional.of(qualifier), name);
        }
    }

    /** A value bound as a JDBC parameter ({@code ?}); the value is a String, Long, Double or Boolean. */
    record SqlParameter(Object value) implements SqlExpression {
        public SqlParameter {
            requireNonNull(value, "value is null");
            if (!(value instanceof String
                    || value instanceof Long
                    || value instanceof Double
                    || value instanceof Boolean)) {
                throw new IllegalArgumentException("unsupported parameter " + value.getClass());
            }
        }
    }

    /** Literal SQL text made by the factories below from typed values only. */
    record SqlLiteral(String text) implements SqlExpression {
        public SqlLiteral {
            requireNonNull(text, "text is null");
        }

        public static final SqlLiteral NULL = new SqlLiteral("NULL");
        public static final SqlLiteral TRUE = new SqlLiteral("true");
        public static final SqlLiteral FALSE = new SqlLiteral("false");

        public static SqlLiteral of(long value) {
            return new SqlLiteral(Long.toString(value));
        }

        public static SqlLiteral of(boolean value) {
            if (value) {
                return TRUE;
            }
            return FALSE;
        }

        /** A real as SQL text; non-finite values as the dialect-neutral cast of a quoted name. */
        public static SqlLiteral of(double value) {
            if (Double.isNaN(value)) {
                return new SqlLiteral("CAST('NaN' AS DOUBLE)");
            }
            if (Double.isInfinite(value)) {
                if (value > 0) {
                    return new SqlLiteral("CAST('Infinity' AS DOUBLE)");
                }
                return new SqlLiteral("CAST('-Infinity' AS DOUBLE)");
            }
            return new SqlLiteral(String.format(Locale.ROOT, "CAST(%s AS DOUBLE)", Double.toString(value)));
        }

        /** A string constant, escaped by doubling single quotes (standard SQL; no backslash escapes). */
        public static SqlLiteral ofString(String value) {
            return new SqlLiteral('\'' + value.replace("'", "''") + '\'');
        }
    }

    /** A function call; the name is a dialect word. */
    record SqlCall(String function, List<SqlExpression> arguments) implements SqlExpression {
        public SqlCall {
            requireNonNull(function, "function is null");
            arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
            if (!WORD.matcher(function).matches()) {
                throw new IllegalArgumentException("not a function name: " + function);
            }
        }

        public static SqlCall of(String function, SqlExpression... arguments) {
            return new SqlCall(function, List.of(arguments));
        }
    }

    /** An aggregate call: {@code f([DISTINCT] args) [FILTER (WHERE condition)]}; no arguments writes {@code f(*)}. */
    record SqlAggregate(
            String function, boolean distinct, List<SqlExpression> arguments, Optional<SqlExpression> filter)
            implements SqlExpression {
        public SqlAggregate {
            requireNonNull(function, "function is null");
            arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
            requireNonNull(filter, "filter is null");
            if (!WORD.matcher(function).matches()) {
                throw new IllegalArgumentException("not a function name: " + function);
            }
        }

        public static SqlAggregate of(String function, SqlExpression... arguments) {
            return new SqlAggregate(function, false, List.of(arguments), Optional.empty());
        }
    }

    /** {@code left op right}, parenthesised when written. */
    record SqlBinary(String operator, SqlExpression left, SqlExpression right) implements SqlExpression {
        public SqlBinary {
            requireNonNull(operator, "operator is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
            if (!OPERATOR.matcher(operator).matches()) {
                throw new IllegalArgumentException("not an operator: " + operator);
            }
        }
    }

    /** {@code NOT x}, {@code -x} (prefix) or {@code x IS NULL} (postfix). */
    record SqlUnary(String operator, SqlExpression operand, boolean postfix) implements SqlExpression {
        public SqlUnary {
            requireNonNull(operator, "operator is null");
            requireNonNull(operand, "operand is null");
            if (!OPERATOR.matcher(operator).matches()) {
                throw new IllegalArgumentException("not an operator: " + operator);
            }
        }
    }

    record SqlWhen(SqlExpression condition, SqlExpression result) {
        public SqlWhen {
            requireNonNull(condition, "condition is null");
            requireNonNull(result, "result is null");
        }
    }

    record SqlCase(List<SqlWhen> whens, Optional<SqlExpression> otherwise) implements SqlExpression {
        public SqlCase {
            whens = List.copyOf(requireNonNull(whens, "whens is null"));
            requireNonNull(otherwise, "otherwise is null");
        }
    }

    /** {@code CAST(x AS TYPE)} or {@code TRY_CAST}; the type is a dialect type name. */
    record SqlCast(SqlExpression expression, String type, boolean lenient) implements SqlExpression {
        public SqlCast {
            requireNonNull(expression, "expression is null");
            requireNonNull(type, "type is null");
            if (!TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException("not a type: " + type);
            }
        }
    }

    /** {@code x [NOT] IN (a, b)}. */
    record SqlInList(SqlExpression value, List<SqlExpression> list, boolean negated) implements SqlExpression {
        public SqlInList {
            requireNonNull(value, "value is null");
            list = List.copyOf(requireNonNull(list, "list is null"));
        }
    }

    /** {@code x IN (SELECT ...)}. */
    record SqlInQuery(SqlExpression value, SqlQuery query) implements SqlExpression {
        public SqlInQuery {
            requireNonNull(value, "value is null");
            requireNonNull(query, "query is null");
        }
    }

    /** {@code (query)}: a query of one column used as a value. */
    record SqlScalarQuery(SqlQuery query) implements SqlExpression {
        public SqlScalarQuery {
            requireNonNull(query, "query is null");
        }
    }

    /** {@code *}. */
    record SqlStar() implements SqlExpression {}

    /** {@code lambda a, b: body}; parameters are dialect words, referred to by unqualified columns. */
    record SqlLambda(List<String> parameters, SqlExpression body) implements SqlExpression {
        public SqlLambda {
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            requireNonNull(body, "body is null");
            for (String parameter : parameters) {
                if (!WORD.matcher(parameter).matches()) {
                    throw new IllegalArgumentException("not a parameter name: " + parameter);
                }
            }
        }

        public SqlLambda(String parameter, SqlExpression body) {
            this(List.of(parameter), body);
        }
    }

    /**
     * {@code f(args) OVER ([PARTITION BY ...] [ORDER BY ...] [ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW])};
     * {@code function} is a {@link SqlCall} or {@link SqlAggregate}.
     */
    record SqlWindow(
            SqlExpression function,
            List<SqlExpression> partitionBy,
            List<SqlQuery.SqlOrderItem> orderBy,
            boolean runningFrame)
            implements SqlExpression {
        public SqlWindow {
            requireNonNull(function, "function is null");
            partitionBy = List.copyOf(requireNonNull(partitionBy, "partitionBy is null"));
            orderBy = List.copyOf(requireNonNull(orderBy, "orderBy is null"));
        }
    }
}
