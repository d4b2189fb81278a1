package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.binder.RenderHint;
import io.vigil.plan.PlanColumn;
import io.vigil.spi.ColumnType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a query's rows as Log Analytics returns them, under the row and size limits: values typed by the
 * plan's column types, rows beyond a limit cut and reported as a warning, and the rows read when the time
 * runs out kept, while a query that times out before any row is a QUERY_TIMEOUT error.
 */
final class ResultReader implements RowReader<QueryResult> {
    /** How many rows are read between two looks at the clock. */
    private static final int ROWS_PER_DEADLINE_CHECK = 64;

    private final List<PlanColumn> columns;
    private final Optional<RenderHint> render;
    private final List<QueryWarning> warnings;
    private final QueryLimits limits;

    ResultReader(CompiledQuery query, QueryLimits limits) {
        requireNonNull(query, "query is null");
        this.columns = query.plan().columns();
        this.render = query.render();
        this.warnings = query.warnings().stream().map(QueryWarning::of).toList();
        this.limits = requireNonNull(limits, "limits is null");
    }

    @Override
    public QueryResult read(ResultSet rows, RunState state) throws SQLException {
        List<QueryResult.ResultColumn> resultColumns = new ArrayList<>();
        for (PlanColumn column : columns) {
            resultColumns.add(new QueryResult.ResultColumn(column.name(), column.type()));
        }
        List<List<Object>> values = new ArrayList<>();
        List<QueryWarning> all = new ArrayList<>(warnings);
        long bytes = 0;
        while (true) {
            if (values.size() % ROWS_PER_DEADLINE_CHECK == 0 && state.expired()) {
                if (values.isEmpty()) {
                    throw state.timedOut(null);
                }
                all.add(state.timeoutWarning(values.size()));
                break;
            }
            boolean more;
            try {
                more = rows.next();
            } catch (SQLException exception) {
                // the timer cancelled the statement while its rows were being read: keep what was read
                if (!state.expired()) {
                    throw exception;
                }
                if (values.isEmpty()) {
                    throw state.timedOut(exception);
                }
                all.add(state.timeoutWarning(values.size()));
                break;
            }
            if (!more) {
                break;
            }
            if (values.size() == limits.maxRows()) {
                all.add(QueryWarning.engine(
                        QueryWarning.RESULT_TOO_LARGE,
                        "Query result set has exceeded the record count limit of " + limits.maxRows()
                                + " records; the result was truncated"));
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int index = 0; index < columns.size(); index++) {
                Object value = value(rows, index + 1, columns.get(index).type());
                bytes += sizeOf(value);
                row.add(value);
            }
            if (bytes > limits.maxBytes()) {
                all.add(QueryWarning.engine(
                        QueryWarning.RESULT_TOO_LARGE,
                        "Query result set has exceeded the internal data size limit of " + limits.maxBytes()
                                + " bytes; the result was truncated after " + values.size() + " records"));
                break;
            }
            values.add(row);
        }
        return new QueryResult(resultColumns, values, all, render);
    }

    private static long sizeOf(Object value) {
        if (value instanceof String text) {
            return text.length();
        }
        return 8;
    }

    private static Object value(ResultSet rows, int index, ColumnType type) throws SQLException {
        return switch (type) {
            case STRING -> {
                String text = rows.getString(index);
                if (text == null) {
                    yield "";
                }
                yield text;
            }
            case GUID, DYNAMIC -> rows.getString(index);
            case INT -> {
                int value = rows.getInt(index);
                if (rows.wasNull()) {
                    yield null;
                }
                yield value;
            }
            case LONG -> {
                long value = rows.getLong(index);
                if (rows.wasNull()) {
                    yield null;
                }
                yield value;
            }
            case REAL -> {
                double value = rows.getDouble(index);
                if (rows.wasNull()) {
                    yield null;
                }
                yield value;
            }
            case BOOL -> {
                boolean value = rows.getBoolean(index);
                if (rows.wasNull()) {
                    yield null;
                }
                yield value;
            }
            case DATETIME -> {
                LocalDateTime value = rows.getObject(index, LocalDateTime.class);
                if (value == null) {
                    yield null;
                }
                yield value.toInstant(ZoneOffset.UTC).toString();
            }
            case TIMESPAN -> {
                String value = rows.getString(index);
                if (value == null) {
                    yield null;
                }
                yield TimespanText.format(TimespanText.parseInterval(value));
            }
        };
    }
}
