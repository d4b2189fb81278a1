package io.vigil.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** SQL queries and the relations they read. */
public sealed interface SqlQuery {
    record SqlSelectItem(SqlExpression expression, String alias) {
        public SqlSelectItem {
            requireNonNull(expression, "expression is null");
            requireNonNull(alias, "alias is null");
        }
    }

    record SqlOrderItem(SqlExpression expression, boolean ascending, boolean nullsFirst) {
        public SqlOrderItem {
            requireNonNull(expression, "expression is null");
        }
    }

    /** {@code SELECT [DISTINCT ON (...)] items FROM ... WHERE ... GROUP BY ... ORDER BY ... LIMIT n}. */
    record SqlSelect(
            List<SqlExpression> distinctOn,
            List<SqlSelectItem> items,
            Optional<SqlRelation> from,
            Optional<SqlExpression> where,
            List<SqlExpression> groupBy,
            boolean grouped,
            List<SqlOrderItem> orderBy,
            OptionalLong limit)
            implements SqlQuery {
        public SqlSelect {
            distinctOn = List.copyOf(requireNonNull(distinctOn, "distinctOn is null"));
            items = List.copyOf(requireNonNull(items, "items is null"));
            requireNonNull(from, "from is null");
            requireNonNull(where, "where is null");
            groupBy = List.copyOf(requireNonNull(groupBy, "groupBy is null"));
            orderBy = List.copyOf(requireNonNull(orderBy, "orderBy is null"));
            requireNonNull(limit, "limit is null");
        }

        public static SqlSelect of(List<SqlSelectItem> items, SqlRelation from) {
            return new SqlSelect(
                    List.of(),
                    items,
                    Optional.of(from),
                    Optional.empty(),
                    List.of(),
                    false,
                    List.of(),
                    OptionalLong.empty());
        }
    }

    /** {@code q1 UNION ALL q2 ...}. */
    record SqlUnionAll(List<SqlQuery> queries) implements SqlQuery {
        public SqlUnionAll {
            queries = List.copyOf(requireNonNull(queries, "queries is null"));
            if (queries.isEmpty()) {
                throw new IllegalArgumentException("union of nothing");
            }
        }
    }

    /**
     * A named query computed once and stored for every reference to it: {@code name AS MATERIALIZED (query)}.
     */
    record SqlCommonTable(String name, SqlQuery query) {
        public SqlCommonTable {
            requireNonNull(name, "name is null");
            requireNonNull(query, "query is null");
        }
    }

    /** {@code WITH t1 AS MATERIALIZED (...), t2 ... body}; later tables may read earlier ones. */
    record SqlWith(List<SqlCommonTable> tables, SqlQuery body) implements SqlQuery {
        public SqlWith {
            tables = List.copyOf(requireNonNull(tables, "tables is null"));
            requireNonNull(body, "body is null");
            if (tables.isEmpty()) {
                throw new IllegalArgumentException("WITH of nothing");
            }
        }
    }

    /** Relations in a FROM clause. */
    sealed interface SqlRelation {}

    record SqlTable(String name, String alias) implements SqlRelation {
        public SqlTable {
            requireNonNull(name, "name is null");
            requireNonNull(alias, "alias is null");
        }
    }

    record SqlDerivedTable(SqlQuery query, String alias) implements SqlRelation {
        public SqlDerivedTable {
            requireNonNull(query, "query is null");
            requireNonNull(alias, "alias is null");
        }
    }

    /** A table function in FROM, {@code call AS alias(columns)}: rows the engine generates as they are read. */
    record SqlTableFunction(SqlExpression.SqlCall call, String alias, List<String> columns) implements SqlRelation {
        public SqlTableFunction {
            requireNonNull(call, "call is null");
            requireNonNull(alias, "alias is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** {@code (VALUES (..), (..)) AS alias(columns)}; at least one row. */
    record SqlValues(List<List<SqlExpression>> rows, String alias, List<String> columns) implements SqlRelation {
        public SqlValues {
            rows = requireNonNull(rows, "rows is null").stream()
                    .map(List::copyOf)
                    .toList();
            requireNonNull(alias, "alias is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("VALUES needs a row");
            }
        }
    }

    enum SqlJoinKind {
        INNER("JOIN"),
        LEFT("LEFT JOIN"),
        RIGHT("RIGHT JOIN"),
        FULL("FULL JOIN"),
        SEMI("SEMI JOIN"),
        ANTI("ANTI JOIN");

        private final String keywords;

        SqlJoinKind(String keywords) {
            this.keywords = keywords;
        }

        public String keywords() {
            return keywords;
        }
    }

    record SqlJoin(SqlJoinKind kind, SqlRelation left, SqlRelation right, SqlExpression condition)
            implements SqlRelation {
        public SqlJoin {
            requireNonNull(kind, "kind is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
            requireNonNull(condition, "condition is null");
        }
    }
}
