package io.vigil.sql;

import io.vigil.plan.AggregateFunction;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The seam between the plan and an SQL engine: capability flags the renderer asks, and the
 * translation of types, constants and functions. Defaults are standard SQL; a dialect overrides what
 * its engine does differently (DuckDB now, Trino for scale-out).
 */
public interface SqlDialect {
    /** A stable snake_case name ({@code duckdb}), as golden files label their sections. */
    String name();

    /** Whether {@code SELECT DISTINCT ON (keys)} exists (innerunique joins deduplicate with it). */
    default boolean supportsDistinctOn() {
        return false;
    }

    /** Whether {@code SEMI JOIN} and {@code ANTI JOIN} exist. */
    default boolean supportsSemiAndAntiJoin() {
        return false;
    }

    /**
     * Whether {@code WITH name AS MATERIALIZED (...)} computes the named query once for all its references
     * (spools, KQL's materialize()). Without it a plan with a spool cannot be rendered: a plain common
     * table may be inlined at each reference, which would compute non-deterministic rows more than once.
     */
    default boolean supportsMaterializedCommonTables() {
        return false;
    }

    /** Whether {@code GROUP BY 1, 2} refers to select items by position. */
    default boolean supportsGroupByOrdinal() {
        return true;
    }

    /** A quoted identifier. */
    String quoteIdentifier(String name);

    /** The engine's name for a column type. */
    String typeName(ColumnType type);

    /** A typed constant (null allowed): strings as parameters, other values as literals made from typed values. */
    SqlExpression constant(ColumnType type, Object value);

    /** How a stored column reads back (for example, strings are never null in KQL). */
    default SqlExpression readColumn(SqlExpression column, ColumnType type) {
        return column;
    }

    /** A scalar function call over translated arguments of the given types. */
    SqlExpression call(
            ScalarFunction function,
            List<SqlExpression> arguments,
            List<ColumnType> argumentTypes,
            ColumnType resultType);

    /** An aggregate call over translated arguments of the given types. */
    SqlExpression aggregate(
            AggregateFunction function,
            List<SqlExpression> arguments,
            List<ColumnType> argumentTypes,
            ColumnType resultType);

    /**
     * A series as a table function and its element: {@code table} generates one column, {@code value}, as it is
     * read, and {@code element} makes each value the series' element of the KQL type.
     */
    record SqlSeries(SqlExpression.SqlCall table, UnaryOperator<SqlExpression> element) {
        public SqlSeries {
            Objects.requireNonNull(table, "table is null");
            Objects.requireNonNull(element, "element is null");
        }
    }

    /** The range operator's rows: {@code start}, {@code start + step}, ... up to {@code stop} inclusive. */
    default SqlSeries series(SqlExpression start, SqlExpression stop, SqlExpression step, ColumnType type) {
        throw new UnsupportedOperationException(name() + " has no series table function");
    }
}
