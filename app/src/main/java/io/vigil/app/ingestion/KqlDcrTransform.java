package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.engine.Compilation;
import io.vigil.engine.CompiledQuery;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryCancellation;
import io.vigil.engine.QueryException;
import io.vigil.engine.QueryParameters;
import io.vigil.formats.common.JsonRecords;
import io.vigil.plan.PlanColumn;
import io.vigil.spi.Column;
import io.vigil.spi.QuerySource;
import io.vigil.spi.StoredTable;
import io.vigil.spi.TableSchema;
import io.vigil.sql.DuckDbSchema;
import io.vigil.store.SchemaDdl;
import io.vigil.store.StoreFunctions;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * Runs a data flow's {@code transformKql} on Vigil's KQL engine: the request's records become a DuckDB
 * table named {@code source}, typed by the stream declaration (Azure's input "virtual table",
 * learn.microsoft.com/azure/azure-monitor/essentials/data-collection-transformations), the engine compiles
 * the transform against a source holding only that table and runs it, and its result rows become the
 * records for the output table, with the columns and types the transform produced.
 *
 * <p>Each request runs in its own in-memory DuckDB database, apart from the workspace's store, so a
 * transform can read nothing but its input. Values that do not convert to their declared type become
 * null, as Azure's typed input does. A transform's schema never depends on its data (no schema probes),
 * since it is checked when the rule is created, before any data.
 */
public final class KqlDcrTransform implements DcrTransform {
    private static final String SOURCE = "source";

    private final Clock clock;

    public KqlDcrTransform(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Checks that a transform compiles against a stream's declared columns; the first error, if any. */
    public Optional<String> validate(String transformKql, List<Column> declaredColumns) {
        if (DcrTransform.isIdentity(transformKql)) {
            return Optional.empty();
        }
        return compile(engine(new TransformInput(declaredColumns, Optional.empty())), transformKql)
                .error();
    }

    @Override
    public Result apply(String transformKql, List<Column> declaredColumns, List<ObjectNode> records) {
        if (DcrTransform.isIdentity(transformKql)) {
            return new Transformed(records, declaredColumns);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            KqlEngine engine = engine(new TransformInput(declaredColumns, Optional.of((DuckDBConnection) connection)));
            Compiled compiled = compile(engine, transformKql);
            if (compiled.error().isPresent()) {
                return new Refused(compiled.error().get());
            }
            try (Statement settings = connection.createStatement()) {
                settings.execute("SET GLOBAL TimeZone = 'UTC'");
            }
            // a transform may call the Java functions (series, parse_xml), which the store registers on its own
            // database only; geo_info_from_ip_address answers the empty bag here (no GeoIP database in ingestion)
            StoreFunctions.register(connection, Optional.empty());
            load(connection, declaredColumns, records);
            CompiledQuery query = compiled.query().orElseThrow();
            // the request's own rows, in memory: no timeout, as before the engine ran transforms
            return engine.run(query, Optional.empty(), QueryCancellation.none(), (rows, state) -> read(query, rows));
        } catch (SQLException e) {
            return new Refused("the transform failed on this batch: " + firstLine(e.getMessage()));
        } catch (QueryException e) {
            String reason = e.getMessage();
            if (e.getCause() instanceof SQLException cause) {
                reason = cause.getMessage();
            }
            return new Refused("the transform failed on this batch: " + firstLine(reason));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Refused("the transform was interrupted");
        }
    }

    private KqlEngine engine(TransformInput input) {
        return KqlEngine.builder(input).clock(clock).schemaProbes(false).build();
    }

    private record Compiled(Optional<CompiledQuery> query, Optional<String> error) {}

    private Compiled compile(KqlEngine engine, String transformKql) {
        Compilation compilation;
        try {
            compilation = engine.compile(transformKql, QueryParameters.at(clock.instant()));
        } catch (QueryException e) {
            return failed("transformKql '" + transformKql + "' is not supported: " + e.getMessage());
        }
        return switch (compilation) {
            case CompiledQuery query -> new Compiled(Optional.of(query), Optional.empty());
            case Compilation.Rejected rejected ->
                failed("transformKql '" + transformKql + "': "
                        + rejected.errors().get(0));
        };
    }

    private static Compiled failed(String message) {
        return new Compiled(Optional.empty(), Optional.of(message));
    }

    private static TableSchema sourceSchema(List<Column> declaredColumns) {
        return new TableSchema(SOURCE, declaredColumns);
    }

    /**
     * The transform's input as the engine sees it: the one table {@code source}, and once the request's rows
     * are loaded, the in-memory database holding them.
     */
    private record TransformInput(List<Column> declaredColumns, Optional<DuckDBConnection> database)
            implements QuerySource {
        @Override
        public List<StoredTable> storedTables() {
            TableSchema source = sourceSchema(declaredColumns);
            return List.of(new StoredTable(source, SchemaDdl.physicalColumnNames(source), Optional.empty()));
        }

        @Override
        public Connection newQueryConnection() throws SQLException {
            if (database.isEmpty()) {
                throw new SQLException("a transform is only checked here, not run");
            }
            return database.get().duplicate();
        }
    }

    /** Loads the records in one vectorized statement: DuckDB types the JSON array by the declaration. */
    private static void load(Connection connection, List<Column> declaredColumns, List<ObjectNode> records)
            throws SQLException {
        TableSchema schema = sourceSchema(declaredColumns);
        List<String> physical = SchemaDdl.physicalColumnNames(schema);
        ObjectNode structure = JsonRecords.MAPPER.createObjectNode();
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < declaredColumns.size(); i++) {
            Column column = declaredColumns.get(i);
            structure.put(column.name(), DuckDbSchema.typeName(column.type()));
            if (i > 0) {
                select.append(", ");
            }
            select.append("record.").append(quote(column.name())).append(" AS ").append(quote(physical.get(i)));
        }
        ArrayNode list = JsonRecords.MAPPER.createArrayNode();
        list.add(structure);
        ArrayNode input = JsonRecords.MAPPER.createArrayNode();
        input.addAll(records);
        // a plain table, not TEMP: the engine reads it on a duplicate connection of this private database
        String sql = "CREATE TABLE " + quote(SOURCE) + " AS SELECT " + select
                + " FROM (SELECT unnest(from_json(?::JSON, ?)) AS record)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, input.toString());
            statement.setString(2, list.toString());
            statement.execute();
        }
    }

    private static Result read(CompiledQuery query, ResultSet rows) throws SQLException {
        List<PlanColumn> columns = query.plan().columns();
        List<ObjectNode> output = new ArrayList<>();
        while (rows.next()) {
            ObjectNode record = JsonRecords.MAPPER.createObjectNode();
            for (int i = 0; i < columns.size(); i++) {
                PlanColumn column = columns.get(i);
                if (!column.hidden()) {
                    put(record, column, rows, i + 1);
                }
            }
            output.add(record);
        }
        return new Transformed(output, query.schema());
    }

    private static void put(ObjectNode record, PlanColumn column, ResultSet rows, int index) throws SQLException {
        String name = column.name();
        Object raw = rows.getObject(index);
        if (raw == null) {
            return;
        }
        switch (column.type()) {
            case STRING, GUID, TIMESPAN -> record.put(name, rows.getString(index));
            case INT -> record.put(name, rows.getInt(index));
            case LONG -> record.put(name, rows.getLong(index));
            case REAL -> record.put(name, rows.getDouble(index));
            case BOOL -> record.put(name, rows.getBoolean(index));
            case DATETIME ->
                record.put(
                        name,
                        rows.getObject(index, LocalDateTime.class)
                                .toInstant(ZoneOffset.UTC)
                                .toString());
            case DYNAMIC -> {
                try {
                    JsonNode value = JsonRecords.MAPPER.readTree(rows.getString(index));
                    record.set(name, value);
                } catch (IOException e) {
                    record.put(name, rows.getString(index));
                }
            }
        }
    }

    private static String quote(String identifier) {
        return DuckDbSchema.quoteIdentifier(identifier);
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            return text.substring(0, newline);
        }
        return text;
    }
}
