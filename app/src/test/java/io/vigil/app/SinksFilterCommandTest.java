package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil sinks add --filter}: compiled when added and when the server starts, never at the first event. */
@Timeout(120)
class SinksFilterCommandTest {
    @TempDir
    Path temp;

    private CliRun add(String data, String name, String... routes) {
        String[] head = {
            "sinks", "add", "--data", data, "--name", name, "--type", "syslog_json", "--endpoint", "127.0.0.1:514"
        };
        String[] all = new String[head.length + routes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(routes, 0, all, head.length, routes.length);
        return CliRun.run(all);
    }

    @Test
    void aFilterIsPairedWithItsRouteAndABadOneIsRefusedWithTheKqlDiagnostic() throws Exception {
        String data = temp.resolve("ws").toString();
        CliRun bad = add(data, "elk", "--route", "table:SigninLogs", "--filter", "where NoSuchColumn == 1");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err())
                .contains("the filter of route 'table:SigninLogs' does not compile")
                .contains("line 1, column 7")
                .contains("NoSuchColumn");

        CliRun unfinished = add(data, "elk", "--route", "table:SigninLogs", "--filter", "where ResultType != \"0\" |");
        assertThat(unfinished.exit()).isNotZero();
        assertThat(unfinished.err()).contains("does not compile");

        CliRun good = add(
                data,
                "elk",
                "--route",
                "alerts",
                "--route",
                "table:SigninLogs",
                "--filter",
                "where ResultType != \"0\" | project TimeGenerated, UserPrincipalName, IPAddress",
                "--route",
                "table:AuditLogs");
        assertThat(good.exit()).as(good.err()).isZero();
        String file = Files.readString(Path.of(data, "sinks.json"));
        assertThat(file)
                .contains("\"route\" : \"table:SigninLogs\"")
                .contains(
                        "\"filter\" : \"where ResultType != \\\"0\\\" | project TimeGenerated, UserPrincipalName, IPAddress\"")
                .contains("\"alerts\"")
                .contains("\"table:AuditLogs\"");
    }

    @Test
    void aBadFilterWrittenIntoTheFileStopsTheServerStartNamingTheSink() throws Exception {
        Path data = temp.resolve("ws");
        try (VigilRuntime ignored = VigilRuntime.open(data)) {
            // the workspace's folder and keys
        }
        Files.writeString(
                data.resolve("sinks.json"),
                "{\"sinks\":[{\"name\":\"elk\",\"type\":\"syslog_json\",\"endpoint\":\"127.0.0.1:514\","
                        + "\"routes\":[{\"route\":\"table:SigninLogs\",\"filter\":\"where ResultType ==\"}]}]}");
        try (VigilRuntime runtime = VigilRuntime.open(data)) {
            assertThatThrownBy(() -> ServerCommand.start(
                                    runtime, ServeOptions.builder().build())
                            .close())
                    .hasMessageContaining("sink elk")
                    .hasMessageContaining("does not compile");
        }
    }
}
