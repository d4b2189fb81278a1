package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.binder.RenderHint;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A query's result table as the Log Analytics API returns it: typed columns and rows of JSON-ready
 * values (strings, numbers, booleans, nulls; datetimes as ISO-8601 UTC strings, dynamic as JSON text).
 * {@code warnings} are the query's KQL warnings and, when the result was cut at a limit or by the timeout,
 * why; with any warning the API reports a partial success. {@code render} is the query's {@code render}.
 */
public record QueryResult(
        List<ResultColumn> columns, List<List<Object>> rows, List<QueryWarning> warnings, Optional<RenderHint> render) {
    public QueryResult {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        List<List<Object>> copies = new ArrayList<>();
        for (List<Object> row : requireNonNull(rows, "rows is null")) {
            copies.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copies);
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        requireNonNull(render, "render is null");
    }

    public record ResultColumn(String name, ColumnType type) {
        public ResultColumn {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }
}
