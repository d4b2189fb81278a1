package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.plan.PlanColumn;
import io.vigil.spi.ColumnType;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a query's result as {@link Row}s of a table named {@code tableName} with the query's visible columns,
 * each value in its column type's Java representation ({@link ColumnType#accepts}): what code that handles
 * stored rows (the forwarding encoders) can take from a query unchanged. Reads every row: for queries over a
 * bounded input, such as one committed batch ({@link BatchSource}).
 */
public final class TypedRows implements RowReader<List<Row>> {
    private final List<PlanColumn> columns;
    private final TableSchema schema;

    public TypedRows(CompiledQuery query, String tableName) {
        requireNonNull(query, "query is null");
        requireNonNull(tableName, "tableName is null");
        this.columns = query.plan().columns();
        this.schema = new TableSchema(tableName, query.schema());
    }

    public TableSchema schema() {
        return schema;
    }

    @Override
    public List<Row> read(ResultSet rows, RunState state) throws SQLException {
        List<Row> result = new ArrayList<>();
        while (rows.next()) {
            Row.Builder row = schema.newRow();
            int visible = 0;
            for (int index = 0; index < columns.size(); index++) {
                PlanColumn column = columns.get(index);
                if (column.hidden()) {
                    continue;
                }
                row.set(visible, value(rows, index + 1, column.type()));
                visible++;
            }
            result.add(row.build());
        }
        return result;
    }

    private static Object value(ResultSet rows, int index, ColumnType type) throws SQLException {
        Object value = switch (type) {
            case STRING, GUID -> rows.getString(index);
            case INT -> rows.getInt(index);
            case LONG -> rows.getLong(index);
            case REAL -> rows.getDouble(index);
            case BOOL -> rows.getBoolean(index);
            case DATETIME -> {
                LocalDateTime time = rows.getObject(index, LocalDateTime.class);
                if (time == null) {
                    yield null;
                }
                yield time.toInstant(ZoneOffset.UTC);
            }
            case TIMESPAN -> {
                String text = rows.getString(index);
                if (text == null) {
                    yield null;
                }
                yield TimespanText.parseInterval(text);
            }
            case DYNAMIC -> {
                String json = rows.getString(index);
                if (json == null) {
                    yield null;
                }
                yield new Dynamic(json);
            }
        };
        if (rows.wasNull()) {
            return null;
        }
        return value;
    }
}
