package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.app.http.ApiKeys;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.detect.schedule.DetectionService;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.spi.CommitListener;
import io.vigil.spi.CommitStream;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code vigil bench detect}: how long after the HTTP ingestion API acknowledged an event an NRT rule's alert
 * for it is stored, while other senders keep a steady background load on the same API and table.
 *
 * <p>The parts {@code vigil server} runs (the HTTP server on 127.0.0.1 and the detection service: NRT rules on
 * the commit stream) over a fresh workspace. Senders post Data Collector API requests (JDK HTTP client,
 * SharedKey-signed) of background rows to {@code BenchEvents_CL} at a fixed rate; a probe sender posts one row
 * at a time with a numbered marker, which the imported NRT rule turns into an alert. The clock starts when the
 * probe's 200 arrives (the event is committed then) and stops at the commit of the {@code SecurityAlert} batch
 * holding that probe's alert, as a commit-stream subscriber of the same store sees it.
 *
 * <p>In this package rather than {@code bench}, because it starts the server's parts ({@link VigilRuntime},
 * {@link VigilServer}) and {@code bench} must not import this package (no package cycles).
 */
final class DetectBenchmark {
    static final String TABLE = "BenchEvents";
    private static final String PROBE_PREFIX = "bench-probe-";
    private static final Pattern PROBE = Pattern.compile(PROBE_PREFIX + "(\\d+)");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    private static final String RULE = """
            id: 5b3e0d7a-9c1f-4e2b-8a6d-00000000be01
            name: Bench probe
            description: A bench probe row arrived (vigil bench detect).
            severity: Informational
            status: Available
            kind: NRT
            query: |
              BenchEvents_CL
              | where Marker_s startswith "%s"
              | project TimeGenerated, Marker_s, Source_s
            entityMappings:
              - entityType: Host
                fieldMappings:
                  - identifier: HostName
                    columnName: Marker_s
            version: 1.0.0
            """.formatted(PROBE_PREFIX);

    private final int rate;
    private final int batch;
    private final int senders;
    private final int probes;
    private final int warmup;
    private final PrintStream out;

    DetectBenchmark(int rate, int batch, int senders, int probes, int warmup, PrintStream out) {
        if (rate < 0 || batch < 1 || senders < 1 || probes < 1 || warmup < 0) {
            throw new IllegalArgumentException(
                    "rate and warm-up must not be negative; batch, senders and probes" + " must be positive");
        }
        this.rate = rate;
        this.batch = batch;
        this.senders = senders;
        this.probes = probes;
        this.warmup = warmup;
        this.out = out;
    }

    void run() throws Exception {
        Path dataDir = Files.createTempDirectory("vigil-bench-detect");
        try {
            measure(dataDir);
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private void measure(Path dataDir) throws Exception {
        Map<Integer, Instant> alertCommits = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong backgroundEvents = new AtomicLong();
        AtomicLong backgroundFailures = new AtomicLong();
        List<Thread> load = new ArrayList<>();
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            VigilServer server = VigilServer.builder(runtime, ApiKeys.load(runtime.workspace()))
                    .bind("127.0.0.1", 0)
                    .build();
            RuleLibrary library = new RuleLibrary(dataDir);
            try (DetectionService detection = new DetectionService(
                            runtime.store(), runtime.clock(), QueryLimits.DEFAULT, library::enabledRules);
                    CommitSubscription alerts = runtime.store()
                            .subscribe(
                                    "bench-detect-alerts",
                                    CommitStream.SubscriptionStart.LATEST,
                                    alertListener(runtime, alertCommits))) {
                server.start();
                DataCollectorClient client = new DataCollectorClient(
                        "http://127.0.0.1:" + server.port(),
                        runtime.workspace().workspaceId(),
                        runtime.workspace().sharedKey());
                // the table exists once a first row is stored; a rule over a table that does not exist is left disabled
                client.send(background(0, 1));
                KqlEngine engine = KqlEngine.builder(runtime.store())
                        .clock(runtime.clock())
                        .build();
                List<RuleLibrary.Imported> imported = library.importFile(
                        "bench-detect", RULE, engine, runtime.clock().instant());
                if (imported.size() != 1 || !imported.get(0).enabled()) {
                    throw new IllegalStateException("the bench rule did not import enabled: " + imported);
                }
                detection.start();
                for (int sender = 0; sender < senders && rate > 0; sender++) {
                    int id = sender;
                    load.add(Thread.ofPlatform()
                            .name("bench-load-" + sender)
                            .daemon()
                            .start(() -> sendLoad(client, id, stop, backgroundEvents, backgroundFailures)));
                }
                out.printf(
                        Locale.ROOT,
                        "background: %,d events/s requested over the Data Collector API (%d senders, %d rows per"
                                + " request) into %s_CL, which the NRT rule reads; probes: %d timed after %d warm-up%n",
                        rate,
                        senders,
                        batch,
                        TABLE,
                        probes,
                        warmup);
                long loadStart = System.nanoTime();
                long eventsAtStart = backgroundEvents.get();
                double[] fromAck = new double[probes];
                double[] fromSend = new double[probes];
                for (int probe = 0; probe < warmup + probes; probe++) {
                    Instant sent = Instant.now();
                    client.send(probe(probe));
                    Instant acknowledged = Instant.now();
                    Instant stored = awaitAlert(alertCommits, probe);
                    if (probe >= warmup) {
                        fromAck[probe - warmup] = millis(acknowledged, stored);
                        fromSend[probe - warmup] = millis(sent, stored);
                    }
                    // probes apart by a little more than a table writer's batch time, at varying phases
                    Thread.sleep(100 + (probe * 37L) % 150);
                }
                double seconds = (System.nanoTime() - loadStart) / 1e9;
                long events = backgroundEvents.get() - eventsAtStart;
                stop.set(true);
                for (Thread thread : load) {
                    thread.join(Duration.ofSeconds(90));
                }
                Arrays.sort(fromAck);
                Arrays.sort(fromSend);
                out.printf(
                        Locale.ROOT,
                        "background achieved: %,.0f events/s over %.1f s (%d failed requests)%n",
                        events / seconds,
                        seconds,
                        backgroundFailures.get());
                out.printf(
                        Locale.ROOT,
                        "ack -> alert stored: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                        percentile(fromAck, 50),
                        percentile(fromAck, 90),
                        percentile(fromAck, 99),
                        fromAck[fromAck.length - 1]);
                out.printf(
                        Locale.ROOT,
                        "request sent -> alert stored: p50 %.0f ms, p99 %.0f ms%n",
                        percentile(fromSend, 50),
                        percentile(fromSend, 99));
                out.printf(Locale.ROOT, "p99_ms=%d%n", Math.round(percentile(fromAck, 99)));
            } finally {
                stop.set(true);
                for (Thread thread : load) {
                    thread.join(Duration.ofSeconds(90));
                }
                server.close();
            }
        }
    }

    /** Notes the commit time of every SecurityAlert batch holding a probe's alert. */
    private static CommitListener alertListener(VigilRuntime runtime, Map<Integer, Instant> alertCommits) {
        return batch -> {
            if (!batch.table().equals("SecurityAlert")) {
                return;
            }
            for (Row row : runtime.store().rows(batch)) {
                for (int i = 0; i < row.size(); i++) {
                    Object value = row.get(i);
                    if (value == null) {
                        continue;
                    }
                    Matcher matcher = PROBE.matcher(value.toString());
                    while (matcher.find()) {
                        alertCommits.putIfAbsent(Integer.parseInt(matcher.group(1)), batch.ingestionTime());
                    }
                }
            }
        };
    }

    private static Instant awaitAlert(Map<Integer, Instant> alertCommits, int probe) throws InterruptedException {
        long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Instant stored = alertCommits.get(probe);
            if (stored != null) {
                return stored;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException(
                "no alert for probe " + probe + " within " + PROBE_TIMEOUT.toSeconds() + " s: the NRT path stalled");
    }

    private void sendLoad(
            DataCollectorClient client, int sender, AtomicBoolean stop, AtomicLong events, AtomicLong failures) {
        // each sender keeps its share of the rate with requests at fixed intervals, whatever the answers take
        long intervalNanos = Math.round(1e9 * batch * senders / rate);
        long next = System.nanoTime() + intervalNanos * sender / senders;
        long request = 0;
        while (!stop.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            next += intervalNanos;
            try {
                client.send(background(sender * 1_000_000_000L + request++, batch));
                events.addAndGet(batch);
            } catch (IOException | RuntimeException e) {
                failures.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static byte[] background(long first, int rows) {
        StringBuilder json = new StringBuilder(rows * 96).append('[');
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"Marker\":\"background\",\"Source\":\"sender\",\"Sequence\":")
                    .append(first + i)
                    .append(",\"Message\":\"routine event\"}");
        }
        return json.append(']').toString().getBytes(UTF_8);
    }

    private static byte[] probe(int probe) {
        return ("[{\"Marker\":\"" + PROBE_PREFIX + probe + "\",\"Source\":\"probe\",\"Sequence\":" + probe
                        + ",\"Message\":\"bench probe\"}]")
                .getBytes(UTF_8);
    }

    private static double millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1e6);
    }

    static double percentile(double[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** A Data Collector API sender: SharedKey-signed JSON arrays to {@code POST /api/logs}, as Azure's docs show. */
    private static final class DataCollectorClient {
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final URI uri;
        private final String workspaceId;
        private final byte[] key;

        DataCollectorClient(String baseUrl, String workspaceId, String sharedKey) {
            this.uri = URI.create(baseUrl + "/api/logs?api-version=2016-04-01");
            this.workspaceId = workspaceId;
            this.key = Base64.getDecoder().decode(sharedKey);
        }

        void send(byte[] body) throws IOException, InterruptedException {
            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
            String toSign = "POST\n" + body.length + "\napplication/json\nx-ms-date:" + date + "\n/api/logs";
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header("Log-Type", TABLE)
                    .header("x-ms-date", date)
                    .header("Authorization", "SharedKey " + workspaceId + ":" + sign(toSign))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("Data Collector API answered " + response.statusCode() + ": " + response.body());
            }
        }

        private String sign(String toSign) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is unavailable", e);
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path :
                    paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
