package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.app.cli.CliRun;
import io.vigil.spi.Row;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code vigil server} while a splunk_hec sink is mid-stream, then a restart: every row
 * arrives at least once; the repeats (at most the batch in hand) are counted.
 */
@Timeout(300)
class HttpSinkKillTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) ");
    private static final int BATCHES = 6;
    private static final int ROWS_PER_BATCH = 100;

    @TempDir
    Path temp;

    @Test
    void everyRowArrivesAtLeastOnceAfterVigilIsKilledMidStream() throws Exception {
        Path data = temp.resolve("ws");
        Path token = Files.writeString(temp.resolve("hec.token"), "kill-test-token\n");
        Queue<String> received = new ConcurrentLinkedQueue<>();
        ObjectMapper json = new ObjectMapper();
        HttpServer hec = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        hec.createContext("/services/collector/event", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (!"Splunk kill-test-token"
                        .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.sendResponseHeaders(403, -1);
                    return;
                }
                List<String> messages = new ArrayList<>();
                try (MappingIterator<JsonNode> events =
                        json.readerFor(JsonNode.class).readValues(body)) {
                    while (events.hasNext()) {
                        messages.add(events.next()
                                .path("event")
                                .path("SyslogMessage")
                                .asText());
                    }
                }
                // a slow indexer, so the kill lands mid-stream
                Thread.sleep(150);
                received.addAll(messages);
                byte[] answer = "{\"text\":\"Success\",\"code\":0}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        hec.start();
        try {
            CliRun added = CliRun.run(
                    "sinks",
                    "add",
                    "--data",
                    data.toString(),
                    "--name",
                    "splunk",
                    "--type",
                    "splunk_hec",
                    "--endpoint",
                    "http://127.0.0.1:" + hec.getAddress().getPort(),
                    "--secret-file",
                    token.toString(),
                    "--batch-events",
                    "20",
                    "--route",
                    "table:Syslog",
                    "--start",
                    "earliest");
            assertThat(added.exit()).as(added.err()).isZero();
            try (VigilRuntime runtime = VigilRuntime.open(data)) {
                for (int batch = 0; batch < BATCHES; batch++) {
                    List<Row> rows = new ArrayList<>();
                    for (int i = 0; i < ROWS_PER_BATCH; i++) {
                        rows.add(runtime.store()
                                .catalog()
                                .require("Syslog")
                                .newRow()
                                .set("TimeGenerated", Instant.now())
                                .set("SyslogMessage", "row-" + batch + "-" + i)
                                .build());
                    }
                    runtime.store().write(rows).get(60, TimeUnit.SECONDS);
                }
            }

            Process first = startServer(data);
            try {
                // mid-batch: a batch and a half in
                awaitTrue("some rows forwarded", () -> received.size() >= ROWS_PER_BATCH + ROWS_PER_BATCH / 2);
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no position written for the batch in hand
                first.waitFor(30, TimeUnit.SECONDS);
            }
            int beforeKill = received.size();
            assertThat(beforeKill).isLessThan(BATCHES * ROWS_PER_BATCH);

            Process second = startServer(data);
            try {
                awaitTrue("every row", () -> received.stream().distinct().count() == (long) BATCHES * ROWS_PER_BATCH);
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
                second.destroyForcibly();
            }
            long duplicates = received.size() - received.stream().distinct().count();
            System.out.printf(
                    "kill -9 mid-stream: %d rows, %d received before the kill, %d deliveries, %d duplicates%n",
                    BATCHES * ROWS_PER_BATCH, beforeKill, received.size(), duplicates);
            // only the batch in hand when the process died can come twice
            assertThat(duplicates).isLessThanOrEqualTo(ROWS_PER_BATCH);
        } finally {
            hec.stop(0);
        }
    }

    private static Process startServer(Path data) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(
                        java.toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        VigilMain.class.getName(),
                        "server",
                        "--data",
                        data.toString(),
                        "--port",
                        "0",
                        "--store-memory-limit",
                        "256MB")
                .redirectErrorStream(true)
                .start();
        BufferedReader output =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null) {
            if (LISTENING.matcher(line).find()) {
                Thread drain = new Thread(() -> output.lines().forEach(ignored -> {}));
                drain.setDaemon(true);
                drain.start();
                return server;
            }
        }
        throw new AssertionError("the server exited before it listened: " + server.waitFor());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
