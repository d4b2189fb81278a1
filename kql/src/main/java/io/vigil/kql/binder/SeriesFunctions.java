package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.ColumnType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The KQL series functions that return several columns, as data: each column's name (the member of the
 * object the plan function computes, and the suffix of the default column name) and type, in KQL's order.
 */
final class SeriesFunctions {
    record Field(String name, ColumnType type) {
        Field {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    private static final Map<String, List<Field>> FIELDS = Map.of(
            // series-fit-line-function
            "series_fit_line",
            List.of(
                    new Field("rsquare", ColumnType.REAL),
                    new Field("slope", ColumnType.REAL),
                    new Field("variance", ColumnType.REAL),
                    new Field("rvariance", ColumnType.REAL),
                    new Field("interception", ColumnType.REAL),
                    new Field("line_fit", ColumnType.DYNAMIC)),
            // series-stats-function
            "series_stats",
            List.of(
                    new Field("min", ColumnType.REAL),
                    new Field("min_idx", ColumnType.LONG),
                    new Field("max", ColumnType.REAL),
                    new Field("max_idx", ColumnType.LONG),
                    new Field("avg", ColumnType.REAL),
                    new Field("stdev", ColumnType.REAL),
                    new Field("variance", ColumnType.REAL)),
            // series-decompose-anomalies-function
            "series_decompose_anomalies",
            List.of(
                    new Field("ad_flag", ColumnType.DYNAMIC),
                    new Field("ad_score", ColumnType.DYNAMIC),
                    new Field("baseline", ColumnType.DYNAMIC)));

    private SeriesFunctions() {}

    /** The columns of a several-column series function; empty for any other function. */
    static Optional<List<Field>> fields(String function) {
        return Optional.ofNullable(FIELDS.get(function));
    }
}
