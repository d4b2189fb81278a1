package io.vigil.sql;

import io.vigil.sql.SqlExpression.SqlAggregate;
import io.vigil.sql.SqlExpression.SqlBinary;
import io.vigil.sql.SqlExpression.SqlCall;
import io.vigil.sql.SqlExpression.SqlCase;
import io.vigil.sql.SqlExpression.SqlCast;
import io.vigil.sql.SqlExpression.SqlColumn;
import io.vigil.sql.SqlExpression.SqlInList;
import io.vigil.sql.SqlExpression.SqlInQuery;
import io.vigil.sql.SqlExpression.SqlLiteral;
import io.vigil.sql.SqlExpression.SqlParameter;
import io.vigil.sql.SqlExpression.SqlStar;
import io.vigil.sql.SqlExpression.SqlUnary;
import io.vigil.sql.SqlExpression.SqlWhen;
import io.vigil.sql.SqlQuery.SqlCommonTable;
import io.vigil.sql.SqlQuery.SqlDerivedTable;
import io.vigil.sql.SqlQuery.SqlJoin;
import io.vigil.sql.SqlQuery.SqlOrderItem;
import io.vigil.sql.SqlQuery.SqlRelation;
import io.vigil.sql.SqlQuery.SqlSelect;
import io.vigil.sql.SqlQuery.SqlSelectItem;
import io.vigil.sql.SqlQuery.SqlTable;
import io.vigil.sql.SqlQuery.SqlUnionAll;
import io.vigil.sql.SqlQuery.SqlValues;
import io.vigil.sql.SqlQuery.SqlWith;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Writes an SQL AST as text, one clause per line and nested queries indented. Identifiers are quoted by
 * the dialect; parameters become {@code ?} and are collected in order.
 */
public final class SqlWriter {
    private final SqlDialect dialect;
    private final StringBuilder text = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    private SqlWriter(SqlDialect dialect) {
        this.dialect = dialect;
    }

    public static SqlStatement write(SqlQuery query, SqlDialect dialect) {
        SqlWriter writer = new SqlWriter(dialect);
        writer.query(query, 0);
        return new SqlStatement(writer.text.toString(), writer.parameters);
    }

    private void newline(int indent) {
        text.append('\n').append("  ".repeat(indent));
    }

    private void query(SqlQuery query, int indent) {
        switch (query) {
            case SqlSelect select -> select(select, indent);
            case SqlWith with -> {
                text.append("WITH ");
                for (int index = 0; index < with.tables().size(); index++) {
                    if (index > 0) {
                        text.append(',');
                        newline(indent);
                    }
                    SqlCommonTable table = with.tables().get(index);
                    text.append(dialect.quoteIdentifier(table.name())).append(" AS MATERIALIZED (");
                    newline(indent + 1);
                    query(table.query(), indent + 1);
                    newline(indent);
                    text.append(')');
                }
                newline(indent);
                query(with.body(), indent);
            }
            case SqlUnionAll union -> {
                for (int index = 0; index < union.queries().size(); index++) {
                    if (index > 0) {
                        newline(indent);
                        text.append("UNION ALL");
                        newline(indent);
                    }
                    SqlQuery part = union.queries().get(index);
                    // a part with ORDER BY or LIMIT must be parenthesised
                    text.append('(');
                    query(part, indent + 1);
                    text.append(')');
                }
            }
        }
    }

    private void select(SqlSelect select, int indent) {
        text.append("SELECT ");
        if (!select.distinctOn().isEmpty()) {
            text.append("DISTINCT ON (");
            list(select.distinctOn(), indent);
            text.append(") ");
        }
        for (int index = 0; index < select.items().size(); index++) {
            if (index > 0) {
                text.append(", ");
            }
            SqlSelectItem item = select.items().get(index);
            expression(item.expression(), indent);
            text.append(" AS ").append(dialect.quoteIdentifier(item.alias()));
        }
        if (select.from().isPresent()) {
            newline(indent);
            text.append("FROM ");
            relation(select.from().get(), indent);
        }
        if (select.where().isPresent()) {
            newline(indent);
            text.append("WHERE ");
            expression(select.where().get(), indent);
        }
        if (!select.groupBy().isEmpty()) {
            newline(indent);
            text.append("GROUP BY ");
            list(select.groupBy(), indent);
        }
        if (!select.orderBy().isEmpty()) {
            newline(indent);
            text.append("ORDER BY ");
            for (int index = 0; index < select.orderBy().size(); index++) {
                if (index > 0) {
                    text.append(", ");
                }
                SqlOrderItem item = select.orderBy().get(index);
                expression(item.expression(), indent);
                if (item.ascending()) {
                    text.append(" ASC");
                } else {
                    text.append(" DESC");
                }
                if (item.nullsFirst()) {
                    text.append(" NULLS FIRST");
                } else {
                    text.append(" NULLS LAST");
                }
            }
        }
        if (select.limit().isPresent()) {
            newline(indent);
            text.append("LIMIT ").append(select.limit().getAsLong());
        }
    }

    private void relation(SqlRelation relation, int indent) {
        switch (relation) {
            case SqlTable table ->
                text.append(dialect.quoteIdentifier(table.name()))
                        .append(" AS ")
                        .append(dialect.quoteIdentifier(table.alias()));
            case SqlDerivedTable derived -> {
                text.append('(');
                newline(indent + 1);
                query(derived.query(), indent + 1);
                newline(indent);
                text.append(") AS ").append(dialect.quoteIdentifier(derived.alias()));
            }
            case SqlValues values -> {
                text.append("(VALUES ");
                for (int row = 0; row < values.rows().size(); row++) {
                    if (row > 0) {
                        text.append(", ");
                    }
                    text.append('(');
                    list(values.rows().get(row), indent);
                    text.append(')');
                }
                text.append(") AS ")
                        .append(dialect.quoteIdentifier(values.alias()))
                        .append('(');
                for (int column = 0; column < values.columns().size(); column++) {
                    if (column > 0) {
                        text.append(", ");
                    }
                    text.append(dialect.quoteIdentifier(values.columns().get(column)));
                }
                text.append(')');
            }
            case SqlQuery.SqlTableFunction function -> {
                expression(function.call(), indent);
                text.append(" AS ")
                        .append(dialect.quoteIdentifier(function.alias()))
                        .append('(');
                for (int column = 0; column < function.columns().size(); column++) {
                    if (column > 0) {
                        text.append(", ");
                    }
                    text.append(dialect.quoteIdentifier(function.columns().get(column)));
                }
                text.append(')');
            }
            case SqlJoin join -> {
                relation(join.left(), indent);
                newline(indent);
                text.append(join.kind().keywords()).append(' ');
                relation(join.right(), indent);
                text.append(" ON ");
                expression(join.condition(), indent);
            }
        }
    }

    private void list(List<SqlExpression> expressions, int indent) {
        for (int index = 0; index < expressions.size(); index++) {
            if (index > 0) {
                text.append(", ");
            }
            expression(expressions.get(index), indent);
        }
    }

    /**
     * The operands of a binary operator, with a chain of {@code AND} or {@code OR} written flat: a query's
     * thousand {@code or} terms are one list to SQL engines (DuckDB refuses expressions nested deeper than
     * 1,000) and no recursion here. Both are associative in SQL's three-valued logic, so the grouping of the
     * tree does not matter.
     */
    private static List<SqlExpression> operands(SqlBinary binary) {
        if (!isAssociative(binary.operator())) {
            return List.of(binary.left(), binary.right());
        }
        List<SqlExpression> operands = new ArrayList<>();
        Deque<SqlExpression> pending = new ArrayDeque<>();
        pending.push(binary);
        while (!pending.isEmpty()) {
            SqlExpression next = pending.pop();
            if (next instanceof SqlBinary chained && chained.operator().equalsIgnoreCase(binary.operator())) {
                pending.push(chained.right());
                pending.push(chained.left());
            } else {
                operands.add(next);
            }
        }
        return operands;
    }

    private static boolean isAssociative(String operator) {
        return operator.equalsIgnoreCase("AND") || operator.equalsIgnoreCase("OR");
    }

    private void expression(SqlExpression expression, int indent) {
        switch (expression) {
            case SqlColumn column -> {
                if (column.qualifier().isPresent()) {
                    text.append(dialect.quoteIdentifier(column.qualifier().get()))
                            .append('.');
                }
                text.append(dialect.quoteIdentifier(column.name()));
            }
            case SqlParameter parameter -> {
                parameters.add(parameter.value());
                text.append('?');
            }
            case SqlLiteral literal -> text.append(literal.text());
            case SqlCall call -> {
                text.append(call.function()).append('(');
                list(call.arguments(), indent);
                text.append(')');
            }
            case SqlAggregate aggregate -> {
                text.append(aggregate.function()).append('(');
                if (aggregate.distinct()) {
                    text.append("DISTINCT ");
                }
                if (aggregate.arguments().isEmpty()) {
                    text.append('*');
                } else {
                    list(aggregate.arguments(), indent);
                }
                text.append(')');
                if (aggregate.filter().isPresent()) {
                    text.append(" FILTER (WHERE ");
                    expression(aggregate.filter().get(), indent);
                    text.append(')');
                }
            }
            case SqlBinary binary -> {
                text.append('(');
                List<SqlExpression> operands = operands(binary);
                for (int index = 0; index < operands.size(); index++) {
                    if (index > 0) {
                        text.append(' ').append(binary.operator()).append(' ');
                    }
                    expression(operands.get(index), indent);
                }
                text.append(')');
            }
            case SqlUnary unary -> {
                text.append('(');
                if (unary.postfix()) {
                    expression(unary.operand(), indent);
                    text.append(' ').append(unary.operator());
                } else {
                    text.append(unary.operator()).append(' ');
                    expression(unary.operand(), indent);
                }
                text.append(')');
            }
            case SqlCase sqlCase -> {
                text.append("CASE");
                for (SqlWhen when : sqlCase.whens()) {
                    text.append(" WHEN ");
                    expression(when.condition(), indent);
                    text.append(" THEN ");
                    expression(when.result(), indent);
                }
                if (sqlCase.otherwise().isPresent()) {
                    text.append(" ELSE ");
                    expression(sqlCase.otherwise().get(), indent);
                }
                text.append(" END");
            }
            case SqlCast cast -> {
                if (cast.lenient()) {
                    text.append("TRY_CAST(");
                } else {
                    text.append("CAST(");
                }
                expression(cast.expression(), indent);
                text.append(" AS ").append(cast.type()).append(')');
            }
            case SqlInList in -> {
                text.append('(');
                expression(in.value(), indent);
                if (in.negated()) {
                    text.append(" NOT");
                }
                text.append(" IN (");
                list(in.list(), indent);
                text.append("))");
            }
            case SqlInQuery in -> {
                text.append('(');
                expression(in.value(), indent);
                text.append(" IN (");
                newline(indent + 1);
                query(in.query(), indent + 1);
                newline(indent);
                text.append("))");
            }
            case SqlExpression.SqlScalarQuery scalar -> {
                text.append('(');
                newline(indent + 1);
                query(scalar.query(), indent + 1);
                newline(indent);
                text.append(')');
            }
            case SqlStar star -> text.append('*');
            case SqlExpression.SqlLambda lambda -> {
                text.append("lambda ")
                        .append(String.join(", ", lambda.parameters()))
                        .append(": ");
                expression(lambda.body(), indent);
            }
            case SqlExpression.SqlWindow window -> {
                expression(window.function(), indent);
                text.append(" OVER (");
                String separator = "";
                if (!window.partitionBy().isEmpty()) {
                    text.append("PARTITION BY ");
                    list(window.partitionBy(), indent);
                    separator = " ";
                }
                if (!window.orderBy().isEmpty()) {
                    text.append(separator).append("ORDER BY ");
                    for (int index = 0; index < window.orderBy().size(); index++) {
                        if (index > 0) {
                            text.append(", ");
                        }
                        expression(window.orderBy().get(index).expression(), indent);
                    }
                    separator = " ";
                }
                if (window.runningFrame()) {
                    text.append(separator).append("ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW");
                }
                text.append(')');
            }
        }
    }
}
