package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.VigilRuntime;
import io.vigil.app.VigilServer;
import io.vigil.app.http.ApiKeys;
import io.vigil.testing.MaxMindDbWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil query} in this process and against the real server on 127.0.0.1: the three output
 * formats, a diagnostic with its caret, and the exit codes.
 */
class QueryCommandTest {
    private static final String QUERY = "Heartbeat | summarize beats = count() by Computer | order by Computer asc";

    /** A name with a quote and a comma, so that CSV quoting and table alignment are both exercised. */
    private static final String QUOTED_COMPUTER = "db \"main\", east";

    private static final String EXPECTED_CSV = "Computer,beats\n\"db \"\"main\"\", east\",1\nweb-01,2\n";

    @TempDir
    Path dataDir;

    @BeforeEach
    void ingestHeartbeats() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            ingest(runtime, now.minus(2, ChronoUnit.DAYS), "web-01");
            ingest(runtime, now.minus(10, ChronoUnit.MINUTES), "web-01");
            ingest(runtime, now.minus(2, ChronoUnit.DAYS), QUOTED_COMPUTER);
        }
    }

    private static void ingest(VigilRuntime runtime, Instant time, String computer) throws Exception {
        String json = "[{\"TimeGenerated\":\"" + time + "\",\"Type\":\"Heartbeat\",\"Computer\":"
                + new ObjectMapper().writeValueAsString(computer) + "}]";
        runtime.pipeline().ingest("test", "inline", json.getBytes(StandardCharsets.UTF_8), Optional.empty());
    }

    @Test
    void printsCsvTableAndJsonInProcess() throws Exception {
        CliRun csv = CliRun.run("query", "--data", dataDir.toString(), "--format", "csv", QUERY);
        assertThat(csv.err()).isEmpty();
        assertThat(csv.exit()).isZero();
        assertThat(csv.out()).isEqualTo(EXPECTED_CSV);

        CliRun table = CliRun.run("query", "--data", dataDir.toString(), "--format", "table", QUERY);
        assertThat(table.exit()).isZero();
        assertThat(table.outLines())
                .containsExactly(
                        "Computer         beats",
                        "---------------  -----",
                        "db \"main\", east      1",
                        "web-01               2",
                        "(2 rows)");

        CliRun json = CliRun.run("query", "--data", dataDir.toString(), "--format", "json", QUERY);
        assertThat(json.exit()).isZero();
        JsonNode result = new ObjectMapper().readTree(json.out()).path("tables").path(0);
        assertThat(result.path("name").asText()).isEqualTo("PrimaryResult");
        assertThat(result.path("columns").toString())
                .isEqualTo("[{\"name\":\"Computer\",\"type\":\"string\"},{\"name\":\"beats\",\"type\":\"long\"}]");
        assertThat(result.path("rows").toString()).isEqualTo("[[\"db \\\"main\\\", east\",1],[\"web-01\",2]]");
    }

    @Test
    void writesCsvWhenStdoutIsNotATerminal() {
        // under the test runner stdout is a pipe, so the default is CSV
        CliRun run = CliRun.run("query", "--data", dataDir.toString(), QUERY);
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo(EXPECTED_CSV);
    }

    @Test
    void timespanLimitsTheRows() {
        CliRun run = CliRun.run("query", "--data", dataDir.toString(), "--timespan", "PT1H", QUERY);
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("Computer,beats\nweb-01,1\n");
    }

    @Test
    void syntaxErrorPrintsCaretAndExitsOne() {
        CliRun run = CliRun.run("query", "--data", dataDir.toString(), "Heartbeat\n| whre Computer == 'x'");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).hasSize(3);
        assertThat(run.errLines().get(0)).matches("error KQL\\d+: .*'whre'.* \\(line 2, col 3\\)");
        assertThat(run.errLines().get(1)).isEqualTo("  2 | | whre Computer == 'x'");
        assertThat(run.errLines().get(2)).isEqualTo("    |   ^");
    }

    @Test
    void unknownColumnIsAQueryError() {
        CliRun run = CliRun.run("query", "--data", dataDir.toString(), "Heartbeat | where Computr == 'x'");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errLines().get(0)).matches("error KQL\\d+: .*'Computr'.* \\(line 1, col 19\\)");
        assertThat(run.errLines().get(2)).isEqualTo("    |                   ^");
    }

    /** A fuzzy union that leaves out its second leg: rows on stdout, the KQL216 warning on stderr. */
    private static final String FUZZY = "union isfuzzy=true (Heartbeat | count),\n  (NoSuchTable | count)";

    private static void assertFuzzyWarning(CliRun run) {
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("Count\n3\n");
        assertThat(run.errLines()).hasSize(3);
        assertThat(run.errLines().get(0))
                .startsWith("warning KQL216: union isfuzzy=true left out a leg that does not resolve: KQL201")
                .contains("NoSuchTable")
                .endsWith("(line 2, col 3)");
        assertThat(run.errLines().get(1)).isEqualTo("  2 |   (NoSuchTable | count)");
        assertThat(run.errLines().get(2)).isEqualTo("    |   ^");
    }

    @Test
    void warningsOfAPartialSuccessGoToStderr() {
        assertFuzzyWarning(CliRun.run("query", "--data", dataDir.toString(), FUZZY));
    }

    @Test
    void queriesInProcessAreRecordedInLaQueryLogs() throws Exception {
        CliRun ran = CliRun.run("query", "--data", dataDir.toString(), QUERY);
        assertThat(ran.exit()).isZero();
        CliRun rejected = CliRun.run("query", "--data", dataDir.toString(), "Heartbeat | where Computr == 'x'");
        assertThat(rejected.exit()).isEqualTo(1);

        // the log query of the first read-back does not see itself: its own row is queued after it runs
        assertThat(QueryLogs.read(dataDir))
                .containsExactly(
                        List.of(QUERY, "vigil", 200, 2), List.of("Heartbeat | where Computr == 'x'", "vigil", 400, 0));
    }

    @Test
    void missingWorkspaceAndMissingFlagsAreUsageErrors() {
        CliRun missing = CliRun.run("query", "--data", dataDir.resolve("nope").toString(), "print 1");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no workspace in");

        CliRun noKey = CliRun.run("query", "--server", "http://127.0.0.1:9", "print 1");
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("--key-file");
    }

    @Test
    void queriesTheServerOverHttp() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            ApiKeys keys = ApiKeys.load(runtime.workspace());
            try (VigilServer server = VigilServer.builder(runtime, keys).build()) {
                server.start();
                String url = "http://127.0.0.1:" + server.port();

                // key and workspace id from the data folder
                CliRun csv = CliRun.run("query", "--server", url, "--data", dataDir.toString(), QUERY);
                assertThat(csv.err()).isEmpty();
                assertThat(csv.exit()).isZero();
                assertThat(csv.out()).isEqualTo(EXPECTED_CSV);

                CliRun table =
                        CliRun.run("query", "--server", url, "--data", dataDir.toString(), "--format", "table", QUERY);
                assertThat(table.outLines()).contains("web-01               2", "(2 rows)");

                CliRun recent =
                        CliRun.run("query", "--server", url, "--data", dataDir.toString(), "--timespan", "PT1H", QUERY);
                assertThat(recent.out()).isEqualTo("Computer,beats\nweb-01,1\n");

                // the API's PartialError details come back as the same warnings
                assertFuzzyWarning(CliRun.run("query", "--server", url, "--data", dataDir.toString(), FUZZY));

                CliRun error = CliRun.run(
                        "query", "--server", url, "--data", dataDir.toString(), "Heartbeat\n| whre Computer == 'x'");
                assertThat(error.exit()).isEqualTo(1);
                assertThat(error.errLines().get(0)).matches("error KQL\\d+: .*'whre'.* \\(line 2, col 3\\)");
                assertThat(error.errLines().get(2)).isEqualTo("    |   ^");

                // explicit key file and workspace id
                Path keyFile = dataDir.resolve("secrets/admin.key");
                String workspaceId = runtime.workspace().workspaceId();
                CliRun explicit = CliRun.run(
                        "query", "--server", url, "--key-file", keyFile.toString(), "--workspace", workspaceId, QUERY);
                assertThat(explicit.out()).isEqualTo(EXPECTED_CSV);

                Path wrongKey = dataDir.resolve("wrong.key");
                Files.writeString(wrongKey, "vgl_wrong\n");
                CliRun refused = CliRun.run(
                        "query", "--server", url, "--key-file", wrongKey.toString(), "--workspace", workspaceId, QUERY);
                assertThat(refused.exit()).isEqualTo(2);
                assertThat(refused.err()).contains("refused the API key (HTTP 401)");
            }
        }
    }

    @Test
    void unreachableServerIsAnIoError() throws Exception {
        Path keyFile = dataDir.resolve("some.key");
        Files.writeString(keyFile, "vgl_key\n");
        // port 9 (discard) is closed on loopback
        CliRun run = CliRun.run(
                "query",
                "--server",
                "http://127.0.0.1:9",
                "--key-file",
                keyFile.toString(),
                "--workspace",
                "w",
                "print 1");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("cannot connect");
        assertThat(List.of(run.out())).containsExactly("");
    }

    @Test
    void geoIpDatabaseFlagInProcess() throws Exception {
        Path database = new MaxMindDbWriter("GeoLite2-City")
                .insert(
                        "20.53.203.0",
                        24,
                        MaxMindDbWriter.cityRecord("Australia", "AU", "New South Wales", "Sydney", -33.8715, 151.2006))
                .write(dataDir.resolve("city.mmdb"));
        String query = "print g = geo_info_from_ip_address('20.53.203.50') | project country = tostring(g.country)";
        CliRun run = CliRun.run(
                "query", "--data", dataDir.toString(), "--geoip-db", database.toString(), "--format", "csv", query);
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("country\nAustralia\n");

        CliRun without = CliRun.run("query", "--data", dataDir.toString(), "--format", "csv", query);
        assertThat(without.out()).isEqualTo("country\n\n");

        CliRun remote = CliRun.run(
                "query",
                "--server",
                "http://127.0.0.1:9",
                "--key-file",
                database.toString(),
                "--workspace",
                "w",
                "--geoip-db",
                database.toString(),
                query);
        assertThat(remote.exit()).isEqualTo(2);
        assertThat(remote.err()).contains("--geoip-db goes with --data");
    }
}
