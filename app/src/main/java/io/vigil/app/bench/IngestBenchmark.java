package io.vigil.app.bench;

import io.vigil.catalog.TableCatalog;
import io.vigil.metrics.Metrics;
import io.vigil.spi.Column;
import io.vigil.spi.Dynamic;
import io.vigil.spi.EventStore;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import io.vigil.store.DuckDbStore;
import io.vigil.store.SchemaDdl;
import io.vigil.store.StoreOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * {@code vigil bench ingest}: the same pre-built SigninLogs rows (27 columns filled, as a real
 * sign-in has) written (a) through Vigil's store — per-table writer, staged batches, commit, ack —
 * and (b) with DuckDB's JDBC Appender straight into an identical table, committed once. Both into
 * file-backed databases on the same disk, alternating, several runs each; medians are compared.
 */
public final class IngestBenchmark {
    /** The SigninLogs columns a typical interactive sign-in fills. */
    static final List<String> FILLED_COLUMNS = List.of(
            "TimeGenerated",
            "Id",
            "UserPrincipalName",
            "UserDisplayName",
            "UserId",
            "AppDisplayName",
            "AppId",
            "IPAddress",
            "Location",
            "ResultType",
            "ResultDescription",
            "ClientAppUsed",
            "ConditionalAccessStatus",
            "CorrelationId",
            "Category",
            "OperationName",
            "RiskLevelDuringSignIn",
            "RiskState",
            "IsInteractive",
            "DurationMs",
            "LocationDetails",
            "DeviceDetail",
            "Status",
            "ResourceDisplayName",
            "UserAgent",
            "AuthenticationRequirement",
            "Identity");

    private static final int SUBMIT_ROWS = 10_000;

    private final int rowCount;
    private final int runs;
    private final Path scratch;
    private final PrintStream out;

    public IngestBenchmark(int rowCount, int runs, Path scratch, PrintStream out) {
        if (rowCount < 1 || runs < 1) {
            throw new IllegalArgumentException("rows and runs must be positive");
        }
        this.rowCount = rowCount;
        this.runs = runs;
        this.scratch = scratch;
        this.out = out;
    }

    public void run() throws Exception {
        TableSchema table = TableCatalog.builtIn().require("SigninLogs");
        List<Row> rows = signInRows(table, rowCount, new Random(7));
        Path root = scratch;
        if (root == null) {
            root = Files.createTempDirectory("vigil-bench");
        }
        Files.createDirectories(root);
        out.printf(
                Locale.ROOT,
                "rows per run: %d, SigninLogs columns filled: %d of %d, runs: %d%n",
                rowCount,
                FILLED_COLUMNS.size(),
                table.columnCount(),
                runs);
        double[] raw = new double[runs];
        double[] vigil = new double[runs];
        for (int run = 0; run < runs; run++) {
            raw[run] = rawAppender(root.resolve("raw-" + run), table, rows);
            vigil[run] = vigilStore(root.resolve("vigil-" + run), rows);
            out.printf(
                    Locale.ROOT,
                    "run %d: raw appender %,.0f rows/s, vigil %,.0f rows/s%n",
                    run + 1,
                    raw[run],
                    vigil[run]);
        }
        if (scratch == null) {
            deleteRecursively(root);
        }
        double rawMedian = median(raw);
        double vigilMedian = median(vigil);
        out.printf(Locale.ROOT, "raw DuckDB appender (median): %,.0f rows/s%n", rawMedian);
        out.printf(Locale.ROOT, "vigil durable ingest (median): %,.0f rows/s%n", vigilMedian);
        out.printf(Locale.ROOT, "ratio=%.2f%n", vigilMedian / rawMedian);
    }

    private static double rawAppender(Path dir, TableSchema table, List<Row> rows) throws Exception {
        Files.createDirectories(dir);
        try (DuckDBConnection connection =
                (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("raw.duckdb"))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(SchemaDdl.createTable(table));
            }
            long started = System.nanoTime();
            long sequence = 0;
            long ingestion = epochMicros(Instant.now());
            try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table.name())) {
                for (Row row : rows) {
                    appender.beginRow();
                    for (int i = 0; i < row.size(); i++) {
                        appendValue(appender, row.get(i));
                    }
                    appender.appendEpochMicros(ingestion);
                    appender.append(1L);
                    appender.append(sequence++);
                    appender.endRow();
                }
                appender.flush();
            }
            return rows.size() / seconds(started);
        }
    }

    private static void appendValue(DuckDBAppender appender, Object value) throws Exception {
        switch (value) {
            case null -> appender.appendNull();
            case String text -> appender.append(text);
            case Dynamic dynamic -> appender.append(dynamic.json());
            case Instant instant -> appender.appendEpochMicros(epochMicros(instant));
            case Long number -> appender.append(number.longValue());
            case Integer number -> appender.append(number.intValue());
            case Double number -> appender.append(number.doubleValue());
            case Boolean bool -> appender.append(bool.booleanValue());
            default -> throw new IllegalStateException("unexpected value " + value.getClass());
        }
    }

    private static double vigilStore(Path dir, List<Row> rows) throws Exception {
        try (EventStore store = DuckDbStore.open(dir, StoreOptions.DEFAULT, Clock.systemUTC(), new Metrics())) {
            long started = System.nanoTime();
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int start = 0; start < rows.size(); start += SUBMIT_ROWS) {
                acks.add(store.write(rows.subList(start, Math.min(rows.size(), start + SUBMIT_ROWS))));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
            double rate = rows.size() / seconds(started);
            long stored = store.rowCounts().get("SigninLogs");
            if (stored != rows.size()) {
                throw new IllegalStateException("stored " + stored + " rows of " + rows.size());
            }
            return rate;
        }
    }

    /** Deterministic sign-ins: a few hundred users, apps and locations, unique ids, JSON details. */
    static List<Row> signInRows(TableSchema table, int count, Random random) {
        String[] countries = {"US", "GB", "DE", "FR", "NL", "IN", "BR", "JP", "AU", "CA"};
        String[] apps = {
            "Office 365 Exchange Online", "Microsoft Teams", "Azure Portal", "SharePoint Online", "Microsoft Graph"
        };
        Instant base = Instant.parse("2026-11-24T00:00:00Z");
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int user = random.nextInt(500);
            String country = countries[random.nextInt(countries.length)];
            boolean failed = random.nextInt(10) == 0;
            Row.Builder row = table.newRow();
            for (String name : FILLED_COLUMNS) {
                Column column = table.column(name).orElseThrow();
                row.set(
                        name,
                        switch (name) {
                            case "TimeGenerated" -> base.plusMillis(i * 17L);
                            case "Id", "CorrelationId" -> new UUID(random.nextLong(), random.nextLong()).toString();
                            case "UserPrincipalName" -> "user" + user + "@contoso.com";
                            case "UserDisplayName", "Identity" -> "User " + user;
                            case "UserId" -> new UUID(user, 42).toString();
                            case "AppDisplayName", "ResourceDisplayName" -> apps[user % apps.length];
                            case "AppId" -> new UUID(user % apps.length, 7).toString();
                            case "IPAddress" -> "203.0." + random.nextInt(256) + "." + random.nextInt(256);
                            case "Location" -> country;
                            case "ResultType" -> failed ? "50126" : "0";
                            case "ResultDescription" -> failed ? "Invalid username or password." : "";
                            case "ClientAppUsed" -> "Browser";
                            case "ConditionalAccessStatus" -> "notApplied";
                            case "Category" -> "SignInLogs";
                            case "OperationName" -> "Sign-in activity";
                            case "RiskLevelDuringSignIn", "RiskState" -> "none";
                            case "IsInteractive" -> Boolean.TRUE;
                            case "DurationMs" -> (long) random.nextInt(2000);
                            case "LocationDetails" ->
                                new Dynamic("{\"city\":\"City" + user % 50 + "\",\"countryOrRegion\":\""
                                        + country + "\",\"geoCoordinates\":{\"latitude\":" + random.nextInt(90)
                                        + ",\"longitude\":"
                                        + random.nextInt(180) + "}}");
                            case "DeviceDetail" ->
                                new Dynamic(
                                        "{\"operatingSystem\":\"Windows 11\",\"browser\":\"Edge 131.0\",\"isCompliant\":"
                                                + (user % 2 == 0) + "}");
                            case "Status" -> new Dynamic("{\"errorCode\":" + (failed ? 50126 : 0) + "}");
                            case "UserAgent" ->
                                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/131.0";
                            case "AuthenticationRequirement" -> "singleFactorAuthentication";
                            default ->
                                throw new IllegalStateException("no generator for " + name + " " + column.type());
                        });
            }
            rows.add(row.build());
        }
        return rows;
    }

    private static long epochMicros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    private static double seconds(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toNanos() / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted((left, right) -> right.compareTo(left)).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
