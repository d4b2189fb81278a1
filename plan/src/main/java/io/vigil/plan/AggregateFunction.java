package io.vigil.plan;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.ColumnType;
import java.util.Optional;

/**
 * The aggregate functions of the plan, as data: stable name, arity, result rule and description.
 * {@code arg_max(value, key)} is one output column of KQL's {@code arg_max(key, cols...)}: the value of
 * a row where key is largest.
 */
public enum AggregateFunction {
    COUNT("count", 0, ColumnType.LONG, "Number of rows"),
    COUNT_IF("count_if", 1, ColumnType.LONG, "Number of rows where the predicate is true"),
    COUNT_DISTINCT("count_distinct", 1, ColumnType.LONG, "Number of distinct non-null values"),
    SUM("sum", 1, null, "Sum of the values; int sums are long"),
    AVG("avg", 1, null, "Average of the values; real for numbers"),
    MIN("min", 1, null, "Smallest value"),
    MAX("max", 1, null, "Largest value"),
    STDEV("stdev", 1, ColumnType.REAL, "Sample standard deviation (Bessel's correction) of the values"),
    STDEVP("stdevp", 1, ColumnType.REAL, "Population standard deviation of the values"),
    VARIANCE("variance", 1, ColumnType.REAL, "Sample variance (Bessel's correction) of the values"),
    VARIANCEP("variancep", 1, ColumnType.REAL, "Population variance of the values"),
    MAKE_SET("make_set", 1, ColumnType.DYNAMIC, "Array of the distinct non-null values"),
    MAKE_LIST("make_list", 1, ColumnType.DYNAMIC, "Array of the non-null values"),
    ANY("any", 1, null, "Some value of the group"),
    MAKE_BAG("make_bag", 1, ColumnType.DYNAMIC, "Property bag of all keys of the bags of the group"),
    MAKE_BAG_IF("make_bag_if", 2, ColumnType.DYNAMIC, "make_bag over the rows where the predicate is true"),
    PERCENTILE(
            "percentile",
            2,
            null,
            "Nearest-rank percentile of the non-null values (arguments: value, constant percentile 0..100)"),
    ARG_MAX("arg_max", 2, null, "The value (first argument) of a row whose key (second argument) is largest"),
    ARG_MIN("arg_min", 2, null, "The value (first argument) of a row whose key (second argument) is smallest"),
    SERIES_ENTRIES(
            "series_entries",
            2,
            ColumnType.DYNAMIC,
            "Object of the values (second argument) keyed by their make-series bin index (first argument)");

    private final String functionName;
    private final int arity;
    private final ColumnType resultType;
    private final String description;

    AggregateFunction(String functionName, int arity, ColumnType resultType, String description) {
        this.functionName = requireNonNull(functionName, "functionName is null");
        this.arity = arity;
        this.resultType = resultType;
        this.description = requireNonNull(description, "description is null");
    }

    public String functionName() {
        return functionName;
    }

    public int arity() {
        return arity;
    }

    /** The fixed result type; empty when it follows the first argument. */
    public Optional<ColumnType> resultType() {
        return Optional.ofNullable(resultType);
    }

    public String description() {
        return description;
    }
}
