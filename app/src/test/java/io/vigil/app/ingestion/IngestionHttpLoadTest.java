package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small bounded load over loopback: concurrent Data Collector, track and Logs Ingestion senders, every
 * request answered 2xx, and exactly the acknowledged records in the tables. Prints events/s per input
 * and for all three (not asserted) of the timed round, which follows a warm-up round; an input's rate is
 * its records over the time until its last sender finished, with the other two inputs sending at the
 * same time on the same cores. Request bodies are built before either round, since a real sender's JSON
 * is made on another machine, not on the server's cores.
 */
class IngestionHttpLoadTest {
    private static final int SENDERS = 4;
    private static final int WARMUP_REQUESTS_PER_SENDER = 5;
    private static final int REQUESTS_PER_SENDER = Integer.getInteger("load.requests", 20);
    private static final int RECORDS_PER_REQUEST = 500;

    private static final String RULE = """
            {
              "name": "dcr-load",
              "properties": {
                "streamDeclarations": {
                  "Custom-Load": {
                    "columns": [
                      {"name": "Seq", "type": "string"},
                      {"name": "Computer", "type": "string"},
                      {"name": "Bytes", "type": "long"},
                      {"name": "Allowed", "type": "boolean"}
                    ]
                  }
                },
                "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
                "dataFlows": [
                  {"streams": ["Custom-Load"], "destinations": ["vigil"], "transformKql": "source",
                   "outputStream": "Custom-LoadLogs_CL"}
                ]
              }
            }
            """;

    /** The three inputs, each with its own senders. */
    private enum Input {
        DATA_COLLECTOR("data_collector"),
        TRACK("appinsights"),
        LOGS_INGESTION("logs_ingestion");

        final String label;

        Input(String label) {
            this.label = label;
        }
    }

    @TempDir
    Path dataDir;

    @Test
    void concurrentSendersLoseNothing() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (IngestionTestServer server = new IngestionTestServer(dataDir)) {
            String ikey =
                    InstrumentationKeys.loadOrCreate(server.runtime.workspace()).primary();
            String ruleId = DataCollectionRules.of(server.runtime.workspace())
                    .create((ObjectNode) HttpExchange.JSON.readTree(RULE))
                    .immutableId();
            Map<Input, List<List<byte[]>>> bodies = new EnumMap<>(Input.class);
            for (Input input : Input.values()) {
                List<List<byte[]>> perSender = new ArrayList<>();
                for (int sender = 0; sender < SENDERS; sender++) {
                    List<byte[]> requests = new ArrayList<>();
                    for (int request = 0; request < WARMUP_REQUESTS_PER_SENDER + REQUESTS_PER_SENDER; request++) {
                        requests.add(
                                switch (input) {
                                    case DATA_COLLECTOR, LOGS_INGESTION -> recordsBody(sender, request);
                                    case TRACK -> trackBody(ikey, sender, request);
                                });
                    }
                    perSender.add(requests);
                }
                bodies.put(input, perSender);
            }
            Sender sender = new Sender(http, server, ruleId);
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS * Input.values().length);
            Map<Input, Double> secondsByInput;
            double seconds;
            long processCpu;
            Map<String, Long> cpuByGroup;
            try {
                sendAll(senders, sender, bodies, 0, WARMUP_REQUESTS_PER_SENDER);
                long cpuBefore = processCpuNanos();
                Map<Long, Map.Entry<String, Long>> threadsBefore = threadCpuNanos();
                long started = System.nanoTime();
                secondsByInput = sendAll(
                        senders,
                        sender,
                        bodies,
                        WARMUP_REQUESTS_PER_SENDER,
                        WARMUP_REQUESTS_PER_SENDER + REQUESTS_PER_SENDER);
                seconds = (System.nanoTime() - started) / 1e9;
                processCpu = processCpuNanos() - cpuBefore;
                cpuByGroup = cpuByThreadGroup(threadsBefore, threadCpuNanos());
            } finally {
                senders.shutdownNow();
            }
            long timed = (long) SENDERS * REQUESTS_PER_SENDER * RECORDS_PER_REQUEST;
            long expected = (long) SENDERS * (WARMUP_REQUESTS_PER_SENDER + REQUESTS_PER_SENDER) * RECORDS_PER_REQUEST;
            assertThat(server.count("SELECT count(*) FROM LoadTest_CL")).isEqualTo(expected);
            assertThat(server.count("SELECT count(DISTINCT Seq_s) FROM LoadTest_CL"))
                    .isEqualTo(expected);
            assertThat(server.count("SELECT count(*) FROM AppTraces")).isEqualTo(expected);
            assertThat(server.count("SELECT count(DISTINCT Message) FROM AppTraces"))
                    .isEqualTo(expected);
            assertThat(server.count("SELECT count(*) FROM LoadLogs_CL")).isEqualTo(expected);
            assertThat(server.count("SELECT count(DISTINCT Seq) FROM LoadLogs_CL"))
                    .isEqualTo(expected);
            assertThat(server.count("SELECT count(*) FROM VigilDeadLetter")).isZero();
            long all = Input.values().length * timed;
            StringBuilder perInput = new StringBuilder();
            for (Input input : Input.values()) {
                perInput.append(String.format(
                        Locale.ROOT,
                        " %s %.0f events/s (%d in %.2f s);",
                        input.label,
                        timed / secondsByInput.get(input),
                        timed,
                        secondsByInput.get(input)));
            }
            System.out.printf(
                    Locale.ROOT,
                    "ingestion http load:%s all three %.0f events/s (%d in %.2f s, after a warm-up of %d)%n",
                    perInput,
                    all / seconds,
                    all,
                    seconds,
                    Input.values().length * (expected - timed));
            // CPU time depends far less than wall time on what else runs on the shared cores; the process
            // figure includes the test's own HTTP clients, GC, the JIT and DuckDB's native threads
            long jettyCpu = cpuByGroup.getOrDefault("vigil-http-N", 0L);
            long javaThreadsCpu =
                    cpuByGroup.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf(
                    Locale.ROOT,
                    "ingestion http load cpu: process %.2f s = %.1f us/event; Jetty request threads %.2f s"
                            + " = %.1f us/event; not in a Java thread (GC, JIT, DuckDB) %.2f s%n",
                    processCpu / 1e9,
                    processCpu / 1e3 / all,
                    jettyCpu / 1e9,
                    jettyCpu / 1e3 / all,
                    (processCpu - javaThreadsCpu) / 1e9);
            StringBuilder groups = new StringBuilder("ingestion http load cpu by thread group:");
            cpuByGroup.forEach((group, nanos) -> {
                if (nanos >= 50_000_000L) {
                    groups.append(String.format(Locale.ROOT, " %s %.2f s;", group, nanos / 1e9));
                }
            });
            System.out.println(groups);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of each live thread, by thread id, with its name. */
    private static Map<Long, Map.Entry<String, Long>> threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Map.Entry<String, Long>> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), Map.entry(info.getThreadName(), nanos));
                }
            }
        }
        return cpu;
    }

    /**
     * CPU time per group of threads (digits in the name folded, so Jetty's pool {@code qtp…} is one group)
     * between two snapshots, largest first; a thread that ended in between is not counted.
     */
    private static Map<String, Long> cpuByThreadGroup(
            Map<Long, Map.Entry<String, Long>> before, Map<Long, Map.Entry<String, Long>> after) {
        Map<String, Long> groups = new HashMap<>();
        after.forEach((id, thread) -> {
            Map.Entry<String, Long> earlier = before.get(id);
            long nanos = thread.getValue() - (earlier == null ? 0 : earlier.getValue());
            groups.merge(thread.getKey().replaceAll("[0-9]+", "N"), nanos, Long::sum);
        });
        Map<String, Long> sorted = new LinkedHashMap<>();
        groups.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    /**
     * Requests {@code from} (inclusive) to {@code to} of every sender of every input, all at once; each must
     * be answered 2xx. Returns, per input, the seconds until its last sender finished.
     */
    private static Map<Input, Double> sendAll(
            ExecutorService senders, Sender sender, Map<Input, List<List<byte[]>>> bodies, int from, int to)
            throws Exception {
        long started = System.nanoTime();
        Map<Input, List<Future<Long>>> results = new EnumMap<>(Input.class);
        for (Input input : Input.values()) {
            List<Future<Long>> finished = new ArrayList<>();
            for (List<byte[]> requests : bodies.get(input)) {
                List<byte[]> slice = requests.subList(from, to);
                finished.add(senders.submit(() -> {
                    for (byte[] body : slice) {
                        sender.send(input, body);
                    }
                    return System.nanoTime();
                }));
            }
            results.put(input, finished);
        }
        Map<Input, Double> seconds = new EnumMap<>(Input.class);
        for (Input input : Input.values()) {
            long last = started;
            for (Future<Long> result : results.get(input)) {
                last = Math.max(last, result.get(120, TimeUnit.SECONDS));
            }
            seconds.put(input, (last - started) / 1e9);
        }
        return seconds;
    }

    /** The same records for the Data Collector API and the Logs Ingestion API (whose stream declares them). */
    private static byte[] recordsBody(int sender, int request) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"Seq\":\"")
                    .append(sender)
                    .append('-')
                    .append(request)
                    .append('-')
                    .append(i)
                    .append("\",\"Computer\":\"vm-")
                    .append(i % 20)
                    .append("\",\"Bytes\":")
                    .append(i * 17)
                    .append(",\"Allowed\":")
                    .append(i % 3 == 0)
                    .append('}');
        }
        return json.append(']').toString().getBytes(UTF_8);
    }

    private static byte[] trackBody(String ikey, int sender, int request) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
            ndjson.append("{\"name\":\"Microsoft.ApplicationInsights.Message\",\"time\":\"2026-11-25T10:00:00Z\",")
                    .append("\"iKey\":\"")
                    .append(ikey)
                    .append("\",\"data\":{\"baseType\":\"MessageData\",")
                    .append("\"baseData\":{\"message\":\"m ")
                    .append(sender)
                    .append('-')
                    .append(request)
                    .append('-')
                    .append(i)
                    .append("\",\"severityLevel\":1}}}\n");
        }
        return ndjson.toString().getBytes(UTF_8);
    }

    /** Sends one request body to an input's endpoint and requires its success status. */
    private record Sender(HttpClient http, IngestionTestServer server, String ruleId) {
        void send(Input input, byte[] body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder()
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            int expected = switch (input) {
                case DATA_COLLECTOR -> {
                    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
                    String signature =
                            SharedKeySignature.sign(server.runtime.workspace().sharedKey(), body.length, date);
                    request.uri(URI.create(server.baseUrl() + "/api/logs?api-version=2016-04-01"))
                            .header("Content-Type", "application/json")
                            .header("Log-Type", "LoadTest")
                            .header("x-ms-date", date)
                            .header(
                                    "Authorization",
                                    "SharedKey " + server.runtime.workspace().workspaceId() + ":" + signature);
                    yield 200;
                }
                case TRACK -> {
                    request.uri(URI.create(server.baseUrl() + "/v2/track"));
                    yield 200;
                }
                case LOGS_INGESTION -> {
                    request.uri(URI.create(server.baseUrl() + "/dataCollectionRules/" + ruleId
                                    + "/streams/Custom-Load?api-version=2023-01-01"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + server.adminKey);
                    yield 204;
                }
            };
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        }
    }
}
