package io.vigil.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The tables of a workspace. The built-in tables come from the Azure Monitor table reference, shipped
 * as TSV resources (column, type, description); custom {@code _CL} tables are added at run time.
 */
public final class TableCatalog {
    private static final String RESOURCE_DIR = "/io/vigil/spi/schemas/";

    /** The built-in table names, in the order the reference lists them in the schema README. */
    public static final List<String> BUILT_IN_TABLES = List.of(
            "AzureActivity",
            "AzureDiagnostics",
            "AzureMetrics",
            "SigninLogs",
            "AADNonInteractiveUserSignInLogs",
            "AADServicePrincipalSignInLogs",
            "AADManagedIdentitySignInLogs",
            "AuditLogs",
            "SecurityEvent",
            "Event",
            "WindowsEvent",
            "Syslog",
            "StorageBlobLogs",
            "StorageFileLogs",
            "StorageQueueLogs",
            "StorageTableLogs",
            "NTANetAnalytics",
            "NTAIpDetails",
            "AppRequests",
            "AppDependencies",
            "AppExceptions",
            "AppTraces",
            "AppEvents",
            "AppPageViews",
            "AppMetrics",
            "AppAvailabilityResults",
            "SecurityAlert",
            "SecurityIncident",
            "CommonSecurityLog",
            "LAQueryLogs",
            "Heartbeat",
            "ThreatIntelligenceIndicator",
            "Watchlist",
            "Anomalies",
            "Usage",
            "Operation",
            "AzureNetworkAnalytics_CL",
            "OfficeActivity");

    /**
     * Standard columns every Log Analytics table has, added where the reference page leaves them out
     * (for example AzureDiagnostics and AzureNetworkAnalytics_CL list only their own columns).
     */
    static final List<Column> STANDARD_COLUMNS = List.of(
            new Column("TenantId", ColumnType.STRING, "The Log Analytics workspace ID"),
            new Column("TimeGenerated", ColumnType.DATETIME, "Timestamp (UTC) when the log was generated"),
            new Column("Type", ColumnType.STRING, "The name of the table"));

    private final Map<String, TableSchema> tables = new ConcurrentSkipListMap<>();

    private TableCatalog() {}

    /** A catalog holding every built-in table. */
    public static TableCatalog builtIn() {
        TableCatalog catalog = new TableCatalog();
        for (String name : BUILT_IN_TABLES) {
            catalog.tables.put(name, loadReferenceTable(name));
        }
        return catalog;
    }

    public Optional<TableSchema> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /**
     * The table named {@code name} in any casing. Log Analytics table names are case-insensitive where a
     * table is created or written ("CaseA" and "CASEA" are one table, named as first created), while KQL
     * resolves them exactly; DuckDB's names are case-insensitive too, so one name must never be two tables.
     */
    public Optional<TableSchema> tableIgnoringCase(String name) {
        TableSchema exact = tables.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (TableSchema table : tables.values()) {
            if (table.name().equalsIgnoreCase(name)) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code name}, in any casing, is a built-in table's (which a custom table may never alias). */
    public static boolean isBuiltInName(String name) {
        for (String builtIn : BUILT_IN_TABLES) {
            if (builtIn.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    public TableSchema require(String name) {
        TableSchema table = tables.get(name);
        if (table == null) {
            throw new VigilException(StandardErrorCode.TABLE_NOT_FOUND, "table not found: " + name);
        }
        return table;
    }

    /** Every table, ordered by name. */
    public Collection<TableSchema> tables() {
        return List.copyOf(tables.values());
    }

    /**
     * Adds or replaces a custom ({@code _CL}) table; refuses a name that differs only in case from another
     * table's (see {@link #tableIgnoringCase}).
     */
    public void putCustom(TableSchema table) {
        requireNonNull(table, "table is null");
        if (!table.isCustom()) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT, "custom table names end with _CL: " + table.name());
        }
        if (isBuiltInName(table.name())) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT, table.name() + " is the name of a built-in table");
        }
        Optional<TableSchema> twin = tableIgnoringCase(table.name());
        if (twin.isPresent() && !twin.get().name().equals(table.name())) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    "table " + table.name() + " differs only in case from "
                            + twin.get().name());
        }
        tables.put(table.name(), withStandardColumns(table));
    }

    /** Parses one reference TSV (header line, then column, type, description per line). */
    public static TableSchema parseReferenceTsv(String tableName, BufferedReader reader) throws IOException {
        List<Column> columns = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String line = reader.readLine();
        if (line == null || !line.startsWith("column\ttype")) {
            throw new IOException("schema of " + tableName + " lacks the column/type header");
        }
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            String name = fields[0].trim();
            // the AzureDiagnostics page lists a few columns twice (ResourceType, ResultType, ...): keep the first
            if (!seen.add(name)) {
                continue;
            }
            String type = "";
            if (fields.length > 1) {
                type = fields[1];
            }
            String description = "";
            if (fields.length > 2) {
                description = fields[2].trim();
            }
            columns.add(new Column(name, ColumnType.fromReferenceName(type), description));
        }
        return withStandardColumns(new TableSchema(tableName, columns));
    }

    /** The table with the standard columns it lacks appended (the shape {@link #putCustom} stores). */
    public static TableSchema withStandardColumns(TableSchema table) {
        List<Column> columns = new ArrayList<>(table.columns());
        Map<String, Column> missing = new TreeMap<>();
        for (Column standard : STANDARD_COLUMNS) {
            if (table.indexOf(standard.name()) < 0) {
                missing.put(standard.name(), standard);
            }
        }
        if (missing.isEmpty()) {
            return table;
        }
        columns.addAll(missing.values());
        return new TableSchema(table.name(), columns);
    }

    private static TableSchema loadReferenceTable(String name) {
        String resource = RESOURCE_DIR + name + ".tsv";
        try (InputStream in = TableCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + resource);
            }
            return parseReferenceTsv(name, new BufferedReader(new InputStreamReader(in, UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }
}
