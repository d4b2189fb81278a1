package io.vigil.store;

import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drops rows already stored, for tables whose records carry a unique id: Azure's exports are delivered at
 * least once (diagnostic settings to Event Hubs, a Kafka redelivery after a crash, a blob re-read), and the
 * same sign-in or audit event must not count twice in a detection. A row is a repeat when a stored row, or an
 * earlier row of the same batch, has the same id and the same {@code TimeGenerated}; rows without an id are
 * always kept. A row newer than every stored row cannot repeat one and is not looked up, so a stream
 * in time order costs no query; older rows are looked up in one query per batch over their time range, which
 * DuckDB prunes by its zone maps. The table's single writer runs it, so no
 * other insert can race with it.
 */
final class DuplicateFilter {
    /**
     * The id column of each table whose records carry one that is unique per event: {@code id} of Entra
     * sign-in and audit records, {@code eventDataId} of activity-log events (Azure Monitor Logs reference).
     */
    static final Map<String, String> ID_COLUMNS = Map.of(
            "SigninLogs", "Id",
            "AADNonInteractiveUserSignInLogs", "Id",
            "AADServicePrincipalSignInLogs", "Id",
            "AADManagedIdentitySignInLogs", "Id",
            "AuditLogs", "Id",
            "AzureActivity", "EventDataId");

    /** Separates the batch's ids in the one text parameter of the check; an id containing it is not checked. */
    private static final char SEPARATOR = '\u0001';

    private record Key(String id, long timeMicros) {}

    private static final long UNKNOWN = Long.MAX_VALUE;

    private final TableSchema schema;
    private final int idIndex;
    private final int timeIndex;
    private final String idColumn;
    private final String timeColumn;

    /** The newest {@code TimeGenerated} among stored rows with an id, in epoch microseconds; read on first use. */
    private long latestStored = UNKNOWN;

    /** The newest {@code TimeGenerated} among the rows with an id that {@link #fresh} returned last. */
    private long pendingLatest = Long.MIN_VALUE;

    private DuplicateFilter(TableSchema schema, int idIndex, int timeIndex) {
        this.schema = schema;
        this.idIndex = idIndex;
        this.timeIndex = timeIndex;
        List<String> physical = SchemaDdl.physicalColumnNames(schema);
        this.idColumn = SqlNames.quoteIdentifier(physical.get(idIndex));
        this.timeColumn = SqlNames.quoteIdentifier(physical.get(timeIndex));
    }

    /** The filter of a table that has one (an id column of text and a {@code TimeGenerated} datetime). */
    static Optional<DuplicateFilter> of(TableSchema schema) {
        String id = ID_COLUMNS.get(schema.name());
        if (id == null) {
            return Optional.empty();
        }
        int idIndex = schema.indexOf(id);
        int timeIndex = schema.indexOf("TimeGenerated");
        if (idIndex < 0 || timeIndex < 0) {
            return Optional.empty();
        }
        Column idColumn = schema.columns().get(idIndex);
        boolean textId = idColumn.type() == ColumnType.STRING || idColumn.type() == ColumnType.GUID;
        if (!textId || schema.columns().get(timeIndex).type() != ColumnType.DATETIME) {
            return Optional.empty();
        }
        return Optional.of(new DuplicateFilter(schema, idIndex, timeIndex));
    }

    /**
     * The rows of the batch that are not repeats, in their order. {@code ingestionTime} stands in for a
     * missing {@code TimeGenerated}, as the load fills it in. Call {@link #committed} once they are.
     */
    List<Row> fresh(Connection connection, List<Row> rows, Instant ingestionTime) throws SQLException {
        long storedUpTo = latestStored(connection);
        List<Key> keys = new ArrayList<>(rows.size());
        long earliest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;
        StringBuilder ids = new StringBuilder();
        for (Row row : rows) {
            Key key = key(row, ingestionTime);
            keys.add(key);
            // a row newer than every stored row cannot repeat one: a stream in time order queries nothing
            if (key != null && key.timeMicros() <= storedUpTo) {
                earliest = Math.min(earliest, key.timeMicros());
                latest = Math.max(latest, key.timeMicros());
                if (!ids.isEmpty()) {
                    ids.append(SEPARATOR);
                }
                ids.append(key.id());
            }
        }
        Set<Key> seen = new HashSet<>();
        if (!ids.isEmpty()) {
            seen = stored(connection, ids.toString(), earliest, latest);
        }
        List<Row> fresh = new ArrayList<>(rows.size());
        pendingLatest = Long.MIN_VALUE;
        for (int i = 0; i < rows.size(); i++) {
            Key key = keys.get(i);
            // add() is false for a key stored before or met earlier in this batch
            if (key == null || seen.add(key)) {
                fresh.add(rows.get(i));
                if (key != null) {
                    pendingLatest = Math.max(pendingLatest, key.timeMicros());
                }
            }
        }
        return fresh;
    }

    /** The rows {@link #fresh} returned last are committed: the next batch knows the newest stored time. */
    void committed() {
        latestStored = Math.max(latestStored, pendingLatest);
    }

    /** The newest stored {@code TimeGenerated} of a row with an id, read once (DuckDB answers from statistics). */
    private long latestStored(Connection connection) throws SQLException {
        if (latestStored == UNKNOWN) {
            String sql = "SELECT coalesce(epoch_us(max(" + timeColumn + ")), " + Long.MIN_VALUE + ") FROM "
                    + SqlNames.quoteIdentifier(schema.name()) + " WHERE " + idColumn + " IS NOT NULL";
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(sql)) {
                result.next();
                latestStored = result.getLong(1);
            }
        }
        return latestStored;
    }

    private Key key(Row row, Instant ingestionTime) {
        if (row.table() != schema) {
            throw new IllegalArgumentException("row of " + row.table().name() + " checked against " + schema.name());
        }
        if (!(row.get(idIndex) instanceof String id) || id.isEmpty() || id.indexOf(SEPARATOR) >= 0) {
            return null;
        }
        Instant time = ingestionTime;
        if (row.get(timeIndex) instanceof Instant generated) {
            time = generated;
        }
        return new Key(id, CsvBatchEncoder.epochMicros(time));
    }

    /** The keys of stored rows among the batch's ids, looked up only within the batch's time range. */
    private Set<Key> stored(Connection connection, String ids, long earliest, long latest) throws SQLException {
        // the bounds are numbers computed here, written as literals so that DuckDB prunes row groups by them
        String sql = "SELECT " + idColumn + ", epoch_us(" + timeColumn + ") FROM "
                + SqlNames.quoteIdentifier(schema.name()) + " WHERE " + timeColumn + " BETWEEN make_timestamp("
                + earliest + ") AND make_timestamp(" + latest + ") AND " + idColumn
                + " IN (SELECT unnest(string_split(?, chr(1))))";
        Set<Key> stored = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, ids);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    stored.add(new Key(result.getString(1), result.getLong(2)));
                }
            }
        }
        return stored;
    }
}
