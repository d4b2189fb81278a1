package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.cli.CliRun;
import io.vigil.spi.Row;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil sinks}: bad sinks refused when added, a good one forwarding alerts once the server runs. */
@Timeout(120)
class SinksCommandTest {
    @TempDir
    Path temp;

    @Test
    void badSinksAreRefusedWhenAdded() {
        String data = temp.resolve("ws").toString();
        CliRun badType = CliRun.run(
                "sinks",
                "add",
                "--data",
                data,
                "--name",
                "siem",
                "--type",
                "syslog_xml",
                "--endpoint",
                "127.0.0.1:514",
                "--route",
                "alerts");
        assertThat(badType.exit()).isNotZero();
        assertThat(badType.err()).contains("unknown sink type 'syslog_xml'");

        CliRun badEndpoint = CliRun.run(
                "sinks",
                "add",
                "--data",
                data,
                "--name",
                "siem",
                "--type",
                "syslog_cef",
                "--endpoint",
                "siem.example",
                "--route",
                "alerts");
        assertThat(badEndpoint.exit()).isNotZero();
        assertThat(badEndpoint.err()).contains("HOST:PORT");

        CliRun badRoute = CliRun.run(
                "sinks",
                "add",
                "--data",
                data,
                "--name",
                "siem",
                "--type",
                "syslog_cef",
                "--endpoint",
                "127.0.0.1:514",
                "--route",
                "SecurityAlert");
        assertThat(badRoute.exit()).isNotZero();
        assertThat(badRoute.err()).contains("alerts, incidents or table:NAME");

        assertThat(CliRun.run("sinks", "list", "--data", data).out()).doesNotContain("siem ");
    }

    @Test
    void anAddedSinkForwardsAlertsWhileTheServerRuns() throws Exception {
        Path data = temp.resolve("ws");
        try (ServerSocket receiver = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CliRun added = CliRun.run(
                    "sinks",
                    "add",
                    "--data",
                    data.toString(),
                    "--name",
                    "arcsight",
                    "--type",
                    "syslog_cef",
                    "--endpoint",
                    "127.0.0.1:" + receiver.getLocalPort(),
                    "--route",
                    "alerts",
                    "--start",
                    "earliest");
            assertThat(added.exit()).as(added.err()).isZero();
            assertThat(CliRun.run("sinks", "list", "--data", data.toString()).out())
                    .contains("arcsight")
                    .contains("tcp://127.0.0.1:" + receiver.getLocalPort())
                    .contains("SecurityAlert");

            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
                try (Socket connection = receiver.accept();
                        BufferedReader lines =
                                new BufferedReader(new InputStreamReader(connection.getInputStream(), UTF_8))) {
                    return lines.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (VigilRuntime runtime = VigilRuntime.open(data);
                    ServerCommand.Running running =
                            ServerCommand.start(runtime, ServeOptions.builder().build())) {
                Row alert = runtime.store()
                        .catalog()
                        .require("SecurityAlert")
                        .newRow()
                        .set("TimeGenerated", Instant.now())
                        .set("AlertName", "Password spray")
                        .set("AlertSeverity", "Medium")
                        .build();
                runtime.store().write(List.of(alert)).get(30, TimeUnit.SECONDS);

                String line = firstLine.get(60, TimeUnit.SECONDS);
                assertThat(line).contains(" SecurityAlert - CEF:0|Vigil|Vigil|1|SecurityAlert|Password spray|5|");
                // the receiver may read the line before the sender counts it as sent
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (runtime.metrics().value("forward_events_sent_total", "sink", "arcsight", "type", "syslog_cef")
                                < 1
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(runtime.metrics()
                                .value("forward_events_sent_total", "sink", "arcsight", "type", "syslog_cef"))
                        .isEqualTo(1);

                JsonNode sink = awaitSink(
                        running,
                        data,
                        "arcsight",
                        h -> h.path("sent").asLong() == 1 && h.path("caughtUp").asBoolean());
                assertThat(sink.path("type").asText()).isEqualTo("syslog_cef");
                assertThat(sink.path("endpoint").asText()).contains("127.0.0.1:" + receiver.getLocalPort());
                assertThat(sink.path("state").asText()).isEqualTo("connected");
                assertThat(sink.path("failed").asLong()).isZero();
                assertThat(sink.path("deadLettered").asLong()).isZero();
                assertThat(sink.path("lagSeconds").asLong()).isZero();
                assertThat(sink.path("lastError").isNull()).isTrue();
            }
        }
        assertThat(CliRun.run("sinks", "remove", "--data", data.toString(), "arcsight")
                        .exit())
                .isZero();
        assertThat(CliRun.run("sinks", "list", "--data", data.toString()).out()).doesNotContain("arcsight");
    }

    @Test
    void sinkHealthShowsFailuresWhileTheReceiverIsDownAndCatchesUpWhenItReturns() throws Exception {
        Path data = temp.resolve("ws");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CliRun added = CliRun.run(
                "sinks",
                "add",
                "--data",
                data.toString(),
                "--name",
                "qradar",
                "--type",
                "syslog_cef",
                "--endpoint",
                "127.0.0.1:" + port,
                "--route",
                "alerts",
                "--start",
                "earliest");
        assertThat(added.exit()).as(added.err()).isZero();
        try (VigilRuntime runtime = VigilRuntime.open(data);
                ServerCommand.Running running =
                        ServerCommand.start(runtime, ServeOptions.builder().build())) {
            Row alert = runtime.store()
                    .catalog()
                    .require("SecurityAlert")
                    .newRow()
                    .set("TimeGenerated", Instant.now())
                    .set("AlertName", "Impossible travel")
                    .set("AlertSeverity", "High")
                    .build();
            runtime.store().write(List.of(alert)).get(30, TimeUnit.SECONDS);

            JsonNode down =
                    awaitSink(running, data, "qradar", h -> h.path("failed").asLong() >= 2);
            assertThat(down.path("state").asText()).isEqualTo("retrying");
            assertThat(down.path("caughtUp").asBoolean()).isFalse();
            assertThat(down.path("sent").asLong()).isZero();
            assertThat(down.path("retried").asLong()).isPositive();
            assertThat(down.path("lastError").asText()).isNotEmpty();
            assertThat(down.path("lastErrorTime").asText()).isNotEmpty();

            try (ServerSocket receiver = new ServerSocket(port, 5, InetAddress.getLoopbackAddress())) {
                CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
                    try (Socket connection = receiver.accept();
                            BufferedReader lines =
                                    new BufferedReader(new InputStreamReader(connection.getInputStream(), UTF_8))) {
                        return lines.readLine();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                assertThat(firstLine.get(60, TimeUnit.SECONDS)).contains("Impossible travel");
                JsonNode back = awaitSink(
                        running,
                        data,
                        "qradar",
                        h -> h.path("sent").asLong() == 1 && h.path("caughtUp").asBoolean());
                assertThat(back.path("state").asText()).isEqualTo("connected");
                assertThat(back.path("lagSeconds").asLong()).isZero();
            }
        }
    }

    @Test
    void aRunningServerPicksUpAddedAndRemovedSinks() throws Exception {
        Path data = temp.resolve("ws");
        try (ServerSocket receiver = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                VigilRuntime runtime = VigilRuntime.open(data);
                ServerCommand.Running running =
                        ServerCommand.start(runtime, ServeOptions.builder().build())) {
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
                try (Socket connection = receiver.accept();
                        BufferedReader lines =
                                new BufferedReader(new InputStreamReader(connection.getInputStream(), UTF_8))) {
                    return lines.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CliRun added = CliRun.run(
                    "sinks",
                    "add",
                    "--data",
                    data.toString(),
                    "--name",
                    "splunk",
                    "--type",
                    "syslog_cef",
                    "--endpoint",
                    "127.0.0.1:" + receiver.getLocalPort(),
                    "--route",
                    "alerts",
                    "--start",
                    "earliest");
            assertThat(added.exit()).as(added.err()).isZero();
            awaitSink(running, data, "splunk", h -> true);

            Row alert = runtime.store()
                    .catalog()
                    .require("SecurityAlert")
                    .newRow()
                    .set("TimeGenerated", Instant.now())
                    .set("AlertName", "Mass download")
                    .set("AlertSeverity", "Low")
                    .build();
            runtime.store().write(List.of(alert)).get(30, TimeUnit.SECONDS);
            assertThat(firstLine.get(60, TimeUnit.SECONDS)).contains("Mass download");

            assertThat(CliRun.run("sinks", "remove", "--data", data.toString(), "splunk")
                            .exit())
                    .isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (running.forwarders().health().stream().anyMatch(h -> h.name().equals("splunk"))) {
                assertThat(System.nanoTime()).as("the removed sink stops").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    /** {@code GET /v1/sinks} until the named sink's health matches (bounded wait). */
    private static JsonNode awaitSink(
            ServerCommand.Running running, Path data, String name, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        String key = Files.readString(data.resolve("secrets/admin.key")).trim();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI url = URI.create("http://127.0.0.1:" + running.server().port() + "/v1/sinks");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(url)
                            .header("Authorization", "Bearer " + key)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            for (JsonNode sink : new ObjectMapper().readTree(response.body()).path("sinks")) {
                if (sink.path("name").asText().equals(name)) {
                    last = sink;
                }
            }
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("sink " + name + " did not reach the expected health: " + last);
    }
}
