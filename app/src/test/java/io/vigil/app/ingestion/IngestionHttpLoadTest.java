package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

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
 * A small bounded load over loopback: concurrent Data Collector and track senders, every request
 * answered 200, and exactly the acknowledged records in the tables. Prints records/s (not asserted) of
 * the timed round, which follows a warm-up round; request bodies are built before either, since a real
 * sender's JSON is made on another machine, not on the server's cores.
 */
class IngestionHttpLoadTest {
    private static final int SENDERS = 4;
    private static final int WARMUP_REQUESTS_PER_SENDER = 5;
    private static final int REQUESTS_PER_SENDER = Integer.getInteger("load.requests", 20);
    private static final int RECORDS_PER_REQUEST = 500;

    @TempDir
    Path dataDir;

    @Test
    void concurrentSendersLoseNothing() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (IngestionTestServer server = new IngestionTestServer(dataDir)) {
            String ikey =
                    InstrumentationKeys.loadOrCreate(server.runtime.workspace()).primary();
            List<List<byte[]>> collectorBodies = new ArrayList<>();
            List<List<byte[]>> trackBodies = new ArrayList<>();
            for (int sender = 0; sender < SENDERS; sender++) {
                List<byte[]> collector = new ArrayList<>();
                List<byte[]> track = new ArrayList<>();
                for (int request = 0; request < WARMUP_REQUESTS_PER_SENDER + REQUESTS_PER_SENDER; request++) {
                    collector.add(dataCollectorBody(sender, request));
                    track.add(trackBody(ikey, sender, request));
                }
                collectorBodies.add(collector);
                trackBodies.add(track);
            }
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS * 2);
            double seconds;
            long processCpu;
            Map<String, Long> cpuByGroup;
            try {
                sendAll(senders, http, server, collectorBodies, trackBodies, 0, WARMUP_REQUESTS_PER_SENDER);
                long cpuBefore = processCpuNanos();
                Map<Long, Map.Entry<String, Long>> threadsBefore = threadCpuNanos();
                long started = System.nanoTime();
                sendAll(
                        senders,
                        http,
                        server,
                        collectorBodies,
                        trackBodies,
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
            assertThat(server.count("SELECT count(*) FROM VigilDeadLetter")).isZero();
            System.out.printf(
                    Locale.ROOT,
                    "ingestion http load: %d records (%d data collector + %d track) in %.2f s = %.0f records/s"
                            + " (after a warm-up of %d)%n",
                    2 * timed,
                    timed,
                    timed,
                    seconds,
                    2 * timed / seconds,
                    2 * (expected - timed));
            // CPU time depends far less than wall time on what else runs on the shared cores; the process
            // figure includes the test's own HTTP clients, GC, the JIT and DuckDB's native threads
            long jettyCpu = cpuByGroup.getOrDefault("qtpN-N", 0L);
            long javaThreadsCpu =
                    cpuByGroup.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf(
                    Locale.ROOT,
                    "ingestion http load cpu: process %.2f s = %.1f us/record; Jetty request threads %.2f s"
                            + " = %.1f us/record; not in a Java thread (GC, JIT, DuckDB) %.2f s%n",
                    processCpu / 1e9,
                    processCpu / 1e3 / (2 * timed),
                    jettyCpu / 1e9,
                    jettyCpu / 1e3 / (2 * timed),
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

    /** Requests {@code from} (inclusive) to {@code to} of every sender, all senders at once; each must be 200. */
    private static void sendAll(
            ExecutorService senders,
            HttpClient http,
            IngestionTestServer server,
            List<List<byte[]>> collectorBodies,
            List<List<byte[]>> trackBodies,
            int from,
            int to)
            throws Exception {
        List<Future<?>> results = new ArrayList<>();
        for (int sender = 0; sender < SENDERS; sender++) {
            List<byte[]> collector = collectorBodies.get(sender).subList(from, to);
            List<byte[]> track = trackBodies.get(sender).subList(from, to);
            results.add(senders.submit(() -> {
                for (byte[] body : collector) {
                    sendDataCollector(http, server, body);
                }
                return null;
            }));
            results.add(senders.submit(() -> {
                for (byte[] body : track) {
                    sendTrack(http, server, body);
                }
                return null;
            }));
        }
        for (Future<?> result : results) {
            result.get(120, TimeUnit.SECONDS);
        }
    }

    private static byte[] dataCollectorBody(int sender, int request) {
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

    private static void sendDataCollector(HttpClient http, IngestionTestServer server, byte[] body) throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String signature = SharedKeySignature.sign(server.runtime.workspace().sharedKey(), body.length, date);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/logs?api-version=2016-04-01"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("Log-Type", "LoadTest")
                        .header("x-ms-date", date)
                        .header(
                                "Authorization",
                                "SharedKey " + server.runtime.workspace().workspaceId() + ":" + signature)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void sendTrack(HttpClient http, IngestionTestServer server, byte[] body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v2/track"))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
