package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.JsonRecords;
import io.vigil.kql.binder.BindOptions;
import io.vigil.kql.binder.Binder;
import io.vigil.kql.binder.BoundQuery;
import io.vigil.kql.binder.CatalogTable;
import io.vigil.kql.binder.QueryCatalog;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.KqlParser;
import io.vigil.kql.syntax.ParseResult;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.spi.Column;
import io.vigil.spi.TableSchema;
import io.vigil.sql.DuckDbDialect;
import io.vigil.sql.PlanToSql;
import io.vigil.sql.SqlStatement;
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
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Runs a data flow's {@code transformKql} with Vigil's KQL engine: the request's records become a
 * temporary DuckDB table named {@code source}, typed by the stream declaration (Azure's input "virtual
 * table", learn.microsoft.com/azure/azure-monitor/essentials/data-collection-transformations), the
 * transform is parsed, bound against a catalog holding only {@code source}, planned and rendered to
 * DuckDB SQL like any query, and its result rows become the records for the output table, with the
 * columns and types the transform produced.
 *
 * <p>Each request runs in its own in-memory DuckDB database, apart from the workspace's store, so a
 * transform can read nothing but its input. Values that do not convert to their declared type become
 * null, as Azure's typed input does.
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
        Compiled compiled = compile(transformKql, declaredColumns);
        return compiled.error();
    }

    @Override
    public Result apply(String transformKql, List<Column> declaredColumns, List<ObjectNode> records) {
        if (DcrTransform.isIdentity(transformKql)) {
            return new Transformed(records, declaredColumns);
        }
        Compiled compiled = compile(transformKql, declaredColumns);
        if (compiled.error().isPresent()) {
            return new Refused(compiled.error().get());
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement settings = connection.createStatement()) {
                settings.execute("SET TimeZone = 'UTC'");
            }
            // a transform may call the Java functions (series, parse_xml), which the store registers on its own
            // database only; geo_info_from_ip_address answers the empty bag here (no GeoIP database in ingestion)
            StoreFunctions.register(connection, Optional.empty());
            load(connection, declaredColumns, records);
            return run(connection, compiled.plan().orElseThrow(), compiled.sql().orElseThrow());
        } catch (SQLException e) {
            return new Refused("the transform failed on this batch: " + firstLine(e.getMessage()));
        }
    }

    private record Compiled(Optional<PlanNode> plan, Optional<SqlStatement> sql, Optional<String> error) {}

    private Compiled compile(String transformKql, List<Column> declaredColumns) {
        ParseResult parsed = KqlParser.parse(transformKql);
        BoundQuery bound = Binder.bind(
                transformKql,
                parsed,
                new SourceCatalog(sourceSchema(declaredColumns)),
                new BindOptions(clock.instant(), Optional.empty()));
        Optional<Diagnostic> error =
                bound.diagnostics().stream().filter(Diagnostic::isError).findFirst();
        if (error.isPresent()) {
            return failed("transformKql '" + transformKql + "': " + error.get());
        }
        if (bound.plan().isEmpty()) {
            return failed("transformKql '" + transformKql + "' has no query");
        }
        try {
            PlanNode plan = bound.plan().get();
            return new Compiled(
                    Optional.of(plan), Optional.of(PlanToSql.render(plan, DuckDbDialect.INSTANCE)), Optional.empty());
        } catch (UnsupportedOperationException e) {
            return failed("transformKql '" + transformKql + "' is not supported: " + e.getMessage());
        }
    }

    private static Compiled failed(String message) {
        return new Compiled(Optional.empty(), Optional.empty(), Optional.of(message));
    }

    private static TableSchema sourceSchema(List<Column> declaredColumns) {
        return new TableSchema(SOURCE, declaredColumns);
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
            structure.put(column.name(), SchemaDdl.duckDbType(column.type()));
            if (i > 0) {
                select.append(", ");
            }
            select.append("record.").append(quote(column.name())).append(" AS ").append(quote(physical.get(i)));
        }
        ArrayNode list = JsonRecords.MAPPER.createArrayNode();
        list.add(structure);
        ArrayNode input = JsonRecords.MAPPER.createArrayNode();
        input.addAll(records);
        String sql = "CREATE TEMP TABLE " + quote(SOURCE) + " AS SELECT " + select
                + " FROM (SELECT unnest(from_json(?::JSON, ?)) AS record)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, input.toString());
            statement.setString(2, list.toString());
            statement.execute();
        }
    }

    private static Result run(Connection connection, PlanNode plan, SqlStatement sql) throws SQLException {
        List<PlanColumn> columns =
                plan.columns().stream().filter(column -> !column.hidden()).toList();
        List<Column> outputColumns = new ArrayList<>();
        for (PlanColumn column : columns) {
            outputColumns.add(new Column(column.name(), column.type()));
        }
        List<ObjectNode> output = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.sql())) {
            List<Object> parameters = sql.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ObjectNode record = JsonRecords.MAPPER.createObjectNode();
                    for (int i = 0; i < plan.columns().size(); i++) {
                        PlanColumn column = plan.columns().get(i);
                        if (!column.hidden()) {
                            put(record, column, rows, i + 1);
                        }
                    }
                    output.add(record);
                }
            }
        }
        return new Transformed(output, outputColumns);
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
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            return text.substring(0, newline);
        }
        return text;
    }

    /** A catalog of one table, {@code source}: a transform reads its input and nothing else. */
    private record SourceCatalog(TableSchema source) implements QueryCatalog {
        @Override
        public Optional<CatalogTable> table(String name) {
            if (!name.equals(SOURCE)) {
                return Optional.empty();
            }
            return Optional.of(new CatalogTable(source, SchemaDdl.physicalColumnNames(source), Optional.empty()));
        }

        @Override
        public Collection<String> tableNames() {
            return List.of(SOURCE);
        }
    }
}
