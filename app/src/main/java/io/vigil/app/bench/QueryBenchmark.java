package io.vigil.app.bench;

import io.vigil.app.query.QueryService;
import io.vigil.engine.QueryResult;
import io.vigil.metrics.Metrics;
import io.vigil.spi.EventStore;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code vigil bench query}: typical detection queries on a large SigninLogs table, run (a) as KQL
 * through {@link QueryService} — parse, bind, plan, SQL, execute, read rows — and (b) as DuckDB SQL
 * written by hand for the same answer, on the same store in the same run. Each query runs once per
 * side to warm up, then alternately {@code runs} times; medians are compared. Both sides read every
 * result row over JDBC, and their row counts must agree, so the two measure the same work.
 */
public final class QueryBenchmark {
    /** The 17 ms spacing of {@link IngestBenchmark#signInRows}: 5,000,000 rows span about 23.6 hours. */
    private static final long ROW_SPACING_MILLIS = 17;

    private static final Instant BASE = Instant.parse("2026-11-24T00:00:00Z");

    /** One detection query in both languages; {@code now} is the end of the generated data. */
    record Case(String name, String kql, String sql) {}

    static List<Case> cases(Instant now) {
        String lastHour =
                "TIMESTAMP '" + now.minusSeconds(3600).atOffset(ZoneOffset.UTC).toLocalDateTime() + "'";
        return List.of(
                new Case(
                        "failed_signins_per_user_hourly",
                        "SigninLogs | where ResultType != \"0\""
                                + " | summarize count() by UserPrincipalName, bin(TimeGenerated, 1h)",
                        "SELECT \"UserPrincipalName\", time_bucket(INTERVAL 1 HOUR, \"TimeGenerated\") AS \"TimeGenerated\","
                                + " count(*) AS count_ FROM \"SigninLogs\" WHERE \"ResultType\" <> '0' GROUP BY 1, 2"),
                new Case(
                        "top_failing_ips",
                        "SigninLogs | where ResultType != \"0\" | summarize failures = count() by IPAddress"
                                + " | top 10 by failures desc",
                        "SELECT \"IPAddress\", count(*) AS failures FROM \"SigninLogs\" WHERE \"ResultType\" <> '0'"
                                + " GROUP BY 1 ORDER BY failures DESC LIMIT 10"),
                new Case(
                        "last_hour_per_user",
                        "SigninLogs | where TimeGenerated > ago(1h) | summarize count() by UserPrincipalName",
                        "SELECT \"UserPrincipalName\", count(*) AS count_ FROM \"SigninLogs\" WHERE \"TimeGenerated\" > "
                                + lastHour + " GROUP BY 1"),
                new Case(
                        "country_from_json",
                        "SigninLogs | extend Country = tostring(LocationDetails.countryOrRegion)"
                                + " | summarize count() by Country",
                        "SELECT \"LocationDetails\"->>'$.countryOrRegion' AS \"Country\", count(*) AS count_"
                                + " FROM \"SigninLogs\" GROUP BY 1"),
                new Case(
                        "failed_then_succeeded_self_join",
                        "SigninLogs | where ResultType != \"0\" | summarize failures = count() by UserPrincipalName, IPAddress"
                                + " | join kind=inner (SigninLogs | where ResultType == \"0\""
                                + " | summarize successes = count() by UserPrincipalName, IPAddress)"
                                + " on UserPrincipalName, IPAddress",
                        "SELECT f.\"UserPrincipalName\", f.\"IPAddress\", f.failures,"
                                + " s.\"UserPrincipalName\" AS \"UserPrincipalName1\", s.\"IPAddress\" AS \"IPAddress1\","
                                + " s.successes"
                                + " FROM (SELECT \"UserPrincipalName\", \"IPAddress\", count(*) AS failures"
                                + " FROM \"SigninLogs\" WHERE \"ResultType\" <> '0' GROUP BY 1, 2) f"
                                + " JOIN (SELECT \"UserPrincipalName\", \"IPAddress\", count(*) AS successes"
                                + " FROM \"SigninLogs\" WHERE \"ResultType\" = '0' GROUP BY 1, 2) s"
                                + " ON f.\"UserPrincipalName\" = s.\"UserPrincipalName\" AND f.\"IPAddress\" = s.\"IPAddress\""));
    }

    private final int rowCount;
    private final int runs;
    private final Path scratch;
    private final boolean showSql;
    private final PrintStream out;

    public QueryBenchmark(int rowCount, int runs, Path scratch, boolean showSql, PrintStream out) {
        if (rowCount < 1 || runs < 1) {
            throw new IllegalArgumentException("rows and runs must be positive");
        }
        this.rowCount = rowCount;
        this.runs = runs;
        this.scratch = scratch;
        this.showSql = showSql;
        this.out = out;
    }

    public void run() throws Exception {
        Path root = scratch;
        if (root == null) {
            root = Files.createTempDirectory("vigil-bench-query");
        }
        Files.createDirectories(root);
        Instant now = BASE.plusMillis(rowCount * ROW_SPACING_MILLIS);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        try (DuckDbStore store = DuckDbStore.open(root.resolve("store"), StoreOptions.DEFAULT, clock, new Metrics())) {
            QueryService service =
                    new QueryService(store, clock, QueryService.DEFAULT_TIMEOUT, QueryService.DEFAULT_MAX_ROWS);
            long started = System.nanoTime();
            load(store, now);
            out.printf(
                    Locale.ROOT,
                    "rows: %d SigninLogs rows loaded in %.1f s; now = %s; runs per side: %d (median)%n",
                    rowCount,
                    (System.nanoTime() - started) / 1e9,
                    now,
                    runs);
            double logRatios = 0;
            List<Case> cases = cases(now);
            for (Case benchmark : cases) {
                if (showSql) {
                    out.println(benchmark.name() + " kql sql: "
                            + service.compile(benchmark.kql(), Optional.empty())
                                    .sql()
                                    .sql());
                    out.println(benchmark.name() + " hand sql: " + benchmark.sql());
                }
                int kqlRows = runKql(service, benchmark);
                int sqlRows = runSql(store, benchmark);
                if (kqlRows != sqlRows) {
                    throw new IllegalStateException(benchmark.name() + ": KQL returned " + kqlRows
                            + " rows but the hand-written SQL " + sqlRows);
                }
                double[] kql = new double[runs];
                double[] sql = new double[runs];
                for (int run = 0; run < runs; run++) {
                    long kqlStarted = System.nanoTime();
                    runKql(service, benchmark);
                    kql[run] = (System.nanoTime() - kqlStarted) / 1e6;
                    long sqlStarted = System.nanoTime();
                    runSql(store, benchmark);
                    sql[run] = (System.nanoTime() - sqlStarted) / 1e6;
                }
                double kqlMedian = median(kql);
                double sqlMedian = median(sql);
                double ratio = kqlMedian / sqlMedian;
                logRatios += Math.log(ratio);
                out.printf(
                        Locale.ROOT,
                        "%s: kql %.1f ms, sql %.1f ms, ratio %.2f (%d rows)%n",
                        benchmark.name(),
                        kqlMedian,
                        sqlMedian,
                        ratio,
                        kqlRows);
            }
            out.printf(Locale.ROOT, "ratio=%.2f%n", Math.exp(logRatios / cases.size()));
        } finally {
            if (scratch == null) {
                deleteRecursively(root);
            }
        }
    }

    /**
     * Fills SigninLogs with the rows of {@link IngestBenchmark#signInRows} — the same 27 columns, 500
     * users, five apps, ten countries, random IPs, one failure in ten, 17 ms apart — generated by DuckDB
     * in one statement on a query connection. Millions of rows through the durable writer take many
     * minutes on a shared two-core machine, and that path is {@code bench ingest}'s subject, not this
     * one's; the values are derived from hashes of the row number, so every run stores the same data.
     */
    private void load(DuckDbStore store, Instant now) throws SQLException {
        // the rows are inserted by SQL, not written, so the table is created first as a first write would
        store.materialize("SigninLogs");
        // each field takes its own bits of one of two 64-bit hashes, so that fields stay independent
        String hash = "CAST((%s >> %d) %% %d AS BIGINT)";
        String user = String.format(Locale.ROOT, hash, "h", 0, 500);
        String failed = String.format(Locale.ROOT, hash, "h", 16, 10) + " = 0";
        String country = "list_extract(['US', 'GB', 'DE', 'FR', 'NL', 'IN', 'BR', 'JP', 'AU', 'CA'], "
                + String.format(Locale.ROOT, hash, "h", 24, 10) + " + 1)";
        String app = "list_extract(['Office 365 Exchange Online', 'Microsoft Teams', 'Azure Portal',"
                + " 'SharePoint Online', 'Microsoft Graph'], u % 5 + 1)";
        String sql = "INSERT INTO \"SigninLogs\" (\"TimeGenerated\", \"Id\", \"UserPrincipalName\","
                + " \"UserDisplayName\", \"UserId\", \"AppDisplayName\", \"AppId\", \"IPAddress\", \"Location\","
                + " \"ResultType\", \"ResultDescription\", \"ClientAppUsed\", \"ConditionalAccessStatus\","
                + " \"CorrelationId\", \"Category\", \"OperationName\", \"RiskLevelDuringSignIn\", \"RiskState\","
                + " \"IsInteractive\", \"DurationMs\", \"LocationDetails\", \"DeviceDetail\", \"Status\","
                + " \"ResourceDisplayName\", \"UserAgent\", \"AuthenticationRequirement\", \"Identity\", \"Type\","
                + " \"_vigil_ingestion_time\", \"_vigil_batch_id\", \"_vigil_row_seq\")"
                + " SELECT TIMESTAMP '" + BASE.atOffset(ZoneOffset.UTC).toLocalDateTime() + "'"
                + " + to_milliseconds(i * " + ROW_SPACING_MILLIS + "),"
                + " CAST(uuid() AS VARCHAR), 'user' || u || '@contoso.com', 'User ' || u,"
                + " printf('00000000-0000-%04x-0000-00000000002a', u), app,"
                + " printf('00000000-0000-%04x-0000-000000000007', u % 5),"
                + " '203.0.' || " + String.format(Locale.ROOT, hash, "h", 32, 256) + " || '.' || "
                + String.format(Locale.ROOT, hash, "h", 40, 256) + ", country,"
                + " CASE WHEN failed THEN '50126' ELSE '0' END,"
                + " CASE WHEN failed THEN 'Invalid username or password.' ELSE '' END,"
                + " 'Browser', 'notApplied', CAST(uuid() AS VARCHAR), 'SignInLogs', 'Sign-in activity', 'none', 'none',"
                + " true, " + String.format(Locale.ROOT, hash, "g", 0, 2000) + ","
                + " CAST('{\"city\":\"City' || u % 50 || '\",\"countryOrRegion\":\"' || country"
                + " || '\",\"geoCoordinates\":{\"latitude\":' || " + String.format(Locale.ROOT, hash, "g", 16, 90)
                + " || ',\"longitude\":' || " + String.format(Locale.ROOT, hash, "g", 32, 180) + " || '}}' AS JSON),"
                + " CAST('{\"operatingSystem\":\"Windows 11\",\"browser\":\"Edge 131.0\",\"isCompliant\":'"
                + " || CAST(u % 2 = 0 AS VARCHAR) || '}' AS JSON),"
                + " CAST('{\"errorCode\":' || CASE WHEN failed THEN 50126 ELSE 0 END || '}' AS JSON),"
                + " app, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/131.0',"
                + " 'singleFactorAuthentication', 'User ' || u, 'SigninLogs',"
                + " TIMESTAMP '" + now.atOffset(ZoneOffset.UTC).toLocalDateTime() + "', 1, i"
                + " FROM (SELECT i, h, g, u, " + failed + " AS failed, " + country + " AS country, " + app + " AS app"
                + " FROM (SELECT i, h, g, " + user + " AS u"
                + " FROM (SELECT i, hash(i) AS h, hash(-1 - i) AS g FROM range(" + rowCount + ") AS r(i))))";
        try (Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        long stored = store.rowCounts().get("SigninLogs");
        if (stored != rowCount) {
            throw new IllegalStateException("stored " + stored + " rows of " + rowCount);
        }
    }

    private static int runKql(QueryService service, Case benchmark) throws InterruptedException {
        QueryResult result = service.execute(benchmark.kql(), Optional.empty());
        return result.rows().size();
    }

    /** The hand-written side does what a careful caller does: a query connection, every value read. */
    private static int runSql(EventStore store, Case benchmark) throws SQLException {
        try (Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(benchmark.sql())) {
            int columns = rows.getMetaData().getColumnCount();
            List<Object[]> values = new ArrayList<>();
            while (rows.next()) {
                Object[] row = new Object[columns];
                for (int index = 0; index < columns; index++) {
                    row[index] = rows.getObject(index + 1);
                }
                values.add(row);
            }
            return values.size();
        }
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
