package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ingest.syslog.SyslogTlsConfig;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rsyslog (Debian's {@code rsyslog} and {@code rsyslog-gnutls}, installed by {@code scripts/test})
 * started as a child process: {@code imfile} reads a file the test appends to and {@code omfwd} forwards
 * to Vigil's syslog listeners on 127.0.0.1, over plain TCP (RFC 3164, LF framing) and over TLS with the
 * gnutls driver (RFC 5424 octet-counted, rsyslog presenting a client certificate Vigil requires). The rows
 * are read back through the query API. Skipped, with the reason, only where rsyslog is not installed.
 */
@Timeout(180)
class RsyslogForwardingTest {
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HOST = "rsyslog-test-host";

    @TempDir
    Path temp;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void forwardsOverPlainTcp() throws Exception {
        assumeRsyslog();
        int tcpPort = freePort();
        Path input = temp.resolve("payments.log");
        String forward = """
                action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp")
                """.formatted(tcpPort);
        try (VigilRuntime runtime = VigilRuntime.open(temp.resolve("data"));
                ServerCommand.Running vigil = ServerCommand.start(
                        runtime,
                        ServeOptions.builder()
                                .syslog(new SyslogOptions(0, tcpPort, 0, Optional.empty()))
                                .build());
                Rsyslog rsyslog = Rsyslog.start(temp.resolve("rsyslog"), "", input, forward)) {
            append(input, "card declined for order 42\n", "card accepted for order 43\n");
            List<List<String>> rows = awaitRows(runtime, vigil, rsyslog, 2);
            assertThat(rows)
                    .containsExactly(
                            List.of(HOST, "local3", "warning", "payments", "card accepted for order 43", "127.0.0.1"),
                            List.of(HOST, "local3", "warning", "payments", "card declined for order 42", "127.0.0.1"));
        }
    }

    @Test
    void forwardsOverTlsWithAClientCertificate() throws Exception {
        assumeRsyslog();
        assumeTrue(
                gnutlsDriverInstalled(),
                "rsyslog's gnutls driver (lmnsd_gtls.so) is not installed: apt-get install rsyslog-gnutls");
        TestCertificates certificates = TestCertificates.create(temp.resolve("pki"));
        int tlsPort = freePort();
        Path input = temp.resolve("payments.log");
        String global =
                """
                global(
                  defaultNetstreamDriverCAFile="%s"
                  defaultNetstreamDriverCertFile="%s"
                  defaultNetstreamDriverKeyFile="%s"
                )
                """.formatted(certificates.caCertificate(), certificates.clientCertificate(), certificates.clientKey());
        // RFC 5425: octet-counted RFC 5424 messages, the server's name checked against its certificate
        String forward = """
                action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp"
                       StreamDriver="gtls" StreamDriverMode="1"
                       StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="localhost"
                       TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")
                """.formatted(tlsPort);
        SyslogTlsConfig tls = new SyslogTlsConfig(
                new SyslogTlsConfig.Identity.Pem(certificates.serverCertificate(), certificates.serverKey()),
                Optional.of(certificates.caCertificate()));
        try (VigilRuntime runtime = VigilRuntime.open(temp.resolve("data"));
                ServerCommand.Running vigil = ServerCommand.start(
                        runtime,
                        ServeOptions.builder()
                                .syslog(new SyslogOptions(0, 0, tlsPort, Optional.of(tls)))
                                .build());
                Rsyslog rsyslog = Rsyslog.start(temp.resolve("rsyslog"), global, input, forward)) {
            append(input, "refund issued for order 44\n");
            List<List<String>> rows = awaitRows(runtime, vigil, rsyslog, 1);
            assertThat(rows)
                    .containsExactly(
                            List.of(HOST, "local3", "warning", "payments", "refund issued for order 44", "127.0.0.1"));
            assertThat(runtime.metrics()
                            .value("events_received_total", "input", "syslog_tls", "format", "syslog_rfc5424"))
                    .isEqualTo(1);
        }
    }

    /** Polls the query API until the Syslog table has {@code expected} rows; fails with rsyslog's output. */
    private List<List<String>> awaitRows(
            VigilRuntime runtime, ServerCommand.Running vigil, Rsyslog rsyslog, int expected) throws Exception {
        String base = "http://127.0.0.1:" + vigil.server().port();
        String key = Files.readString(runtime.workspace().secretsDir().resolve("admin.key"))
                .trim();
        String query = "Syslog | project Computer, Facility, SeverityLevel, ProcessName, SyslogMessage, HostIP"
                + " | sort by SyslogMessage asc";
        Instant deadline = Instant.now().plus(WAIT);
        List<List<String>> rows = rows(base, key, runtime.workspace().workspaceId(), query);
        while (rows.size() < expected) {
            if (Instant.now().isAfter(deadline) || !rsyslog.process.isAlive()) {
                throw new AssertionError("Vigil has " + rows.size() + " of " + expected + " rows after " + WAIT
                        + "; rsyslogd printed:\n" + rsyslog.output());
            }
            Thread.sleep(200);
            rows = rows(base, key, runtime.workspace().workspaceId(), query);
        }
        return rows;
    }

    private List<List<String>> rows(String base, String key, String workspace, String kql) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/workspaces/" + workspace + "/query"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.createObjectNode().put("query", kql).toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row :
                JSON.readTree(response.body()).path("tables").path(0).path("rows")) {
            List<String> values = new ArrayList<>();
            row.forEach(value -> values.add(value.asText()));
            rows.add(values);
        }
        return rows;
    }

    private static void append(Path file, String... lines) throws IOException {
        for (String line : lines) {
            Files.writeString(file, line, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static void assumeRsyslog() {
        assumeTrue(
                Files.isExecutable(RSYSLOGD),
                "rsyslogd is not installed (scripts/test installs it: apt-get install rsyslog rsyslog-gnutls)");
    }

    private static boolean gnutlsDriverInstalled() throws IOException {
        try (Stream<Path> libraries = Files.list(Path.of("/usr/lib"))) {
            return libraries.anyMatch(folder -> Files.isRegularFile(folder.resolve("rsyslog/lmnsd_gtls.so")));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** An rsyslogd of the test's own: own config, work directory and pid file; stopped with SIGTERM. */
    private record Rsyslog(Process process, Path log) implements AutoCloseable {
        static Rsyslog start(Path folder, String global, Path input, String forward)
                throws IOException, InterruptedException {
            Path work = Files.createDirectories(folder.resolve("work"));
            Path config = folder.resolve("rsyslog.conf");
            Files.writeString(config, """
                    global(workDirectory="%s" localHostName="%s")
                    %s
                    module(load="imfile" mode="polling" PollingInterval="1")
                    input(type="imfile" File="%s" Tag="payments:" Facility="local3" Severity="warning"
                          ruleset="forward")
                    ruleset(name="forward") {
                    %s
                    }
                    """.formatted(work, HOST, global, input, forward), UTF_8);
            Path log = folder.resolve("rsyslogd.out");
            Process process = new ProcessBuilder(
                            RSYSLOGD.toString(),
                            "-n",
                            "-f",
                            config.toString(),
                            "-i",
                            folder.resolve("rsyslogd.pid").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            // a config error makes rsyslogd exit at once: report it rather than wait for rows
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                throw new AssertionError("rsyslogd exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            return new Rsyslog(process, log);
        }

        String output() throws IOException {
            return Files.readString(log);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
