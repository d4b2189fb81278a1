package io.vigil.app;

import static java.util.Objects.requireNonNull;

import io.vigil.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The per-source health view ({@code GET /v1/sources}, {@code vigil sources}), built from the series the
 * sources already keep for {@code /metrics}: {@code events_received_total}, {@code events_failed_total},
 * {@code events_rejected_total}, {@code requests_rejected_total}, {@code bytes_received_total} per
 * {@code input} and {@code source} label,
 * {@code kafka_consumer_lag} per topic and {@code watch_bytes_behind} per folder. A source is one listener,
 * endpoint or feed: a syslog transport, an HTTP API, a DCR stream, a Kafka topic, a watched folder.
 *
 * <p>Rates and last-event times come from sampling those counters every {@link #DEFAULT_SAMPLE_INTERVAL}:
 * nothing is counted twice, and the hot paths stay as they are. So a last-event time is exact to the
 * sampling interval, and events before the server started have none.
 */
final class SourceHealth implements AutoCloseable {
    static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final Metrics metrics;
    private final Clock clock;
    private final Duration sampleInterval;
    private final Map<Key, String> registered = new ConcurrentHashMap<>();
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final Map<Key, Instant> lastChange = new HashMap<>();
    private final ScheduledExecutorService sampler;

    /** A source: its transport ({@code input} label) and endpoint within it ({@code source} label, or ""). */
    record Key(String input, String source) implements Comparable<Key> {
        Key {
            requireNonNull(input, "input is null");
            requireNonNull(source, "source is null");
        }

        @Override
        public int compareTo(Key other) {
            int byInput = input.compareTo(other.input);
            if (byInput != 0) {
                return byInput;
            }
            return source.compareTo(other.source);
        }
    }

    /** How far a pulling source is behind what is there to read. */
    record Lag(String unit, long value) {
        Lag {
            requireNonNull(unit, "unit is null");
        }
    }

    /**
     * One source's health.
     *
     * @param eventsPerSecond events received over the last minute (or since the server started, if sooner)
     * @param failures events dead-lettered or rejected and requests refused as a whole, by reason code
     * @param lastEventTime when events were last counted, empty when none arrived since the server started
     * @param lag Kafka messages or watched bytes not stored yet, empty for pushed sources
     */
    record Report(
            Key key,
            String description,
            long eventsTotal,
            double eventsPerSecond,
            long bytesTotal,
            Map<String, Long> failures,
            Optional<Instant> lastEventTime,
            Optional<Lag> lag) {
        Report {
            requireNonNull(key, "key is null");
            requireNonNull(description, "description is null");
            failures = Collections.unmodifiableMap(new TreeMap<>(failures));
            requireNonNull(lastEventTime, "lastEventTime is null");
            requireNonNull(lag, "lag is null");
        }

        long failuresTotal() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private record Sample(Instant at, Map<Key, Long> received) {}

    SourceHealth(Metrics metrics, Clock clock, Duration sampleInterval) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sampleInterval = requireNonNull(sampleInterval, "sampleInterval is null");
        if (sampleInterval.isNegative() || sampleInterval.isZero()) {
            throw new IllegalArgumentException("sampleInterval must be positive");
        }
        this.sampler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vigil-source-health").daemon(true).factory());
    }

    /** Lists a configured source even before its first event. */
    void register(String input, String source, String description) {
        registered.put(new Key(input, source), description);
    }

    void start() {
        sample();
        sampler.scheduleAtFixedRate(
                this::sample, sampleInterval.toMillis(), sampleInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void sample() {
        Instant now = clock.instant();
        Map<Key, Long> received = sum(metrics.snapshot("events_received_total"));
        Sample previous = samples.peekLast();
        if (previous != null) {
            received.forEach((key, total) -> {
                if (total > previous.received().getOrDefault(key, 0L)) {
                    lastChange.put(key, now);
                }
            });
        }
        samples.addLast(new Sample(now, received));
        // keep one sample at or before the window's start, as the baseline of the rate
        while (samples.size() > 2) {
            Sample second = samples.stream().skip(1).findFirst().orElseThrow();
            if (second.at().isAfter(now.minus(RATE_WINDOW))) {
                break;
            }
            samples.removeFirst();
        }
    }

    /** Every registered or counted source, ordered by input and source. */
    synchronized List<Report> reports() {
        Instant now = clock.instant();
        Map<Key, Long> received = sum(metrics.snapshot("events_received_total"));
        Map<Key, Long> bytes = sum(metrics.snapshot("bytes_received_total"));
        Map<Key, Map<String, Long>> failures = new HashMap<>();
        // dead letters, refused envelopes and refused requests: each failure is counted in one of them only
        for (String name : List.of("events_failed_total", "events_rejected_total", "requests_rejected_total")) {
            for (Metrics.Series series : metrics.snapshot(name)) {
                failures.computeIfAbsent(key(series), ignored -> new TreeMap<>())
                        .merge(series.label("reason"), series.value(), Long::sum);
            }
        }
        Map<Key, Lag> lags = lags();
        TreeSet<Key> keys = new TreeSet<>(registered.keySet());
        keys.addAll(received.keySet());
        keys.addAll(failures.keySet());
        keys.addAll(lags.keySet());
        // an endpoint registered as a whole (the Logs Ingestion API) is shown per stream once streams are seen
        keys.removeIf(key -> key.source().isEmpty()
                && received.getOrDefault(key, 0L) == 0
                && !failures.containsKey(key)
                && keys.stream()
                        .anyMatch(other -> other.input().equals(key.input())
                                && !other.source().isEmpty()));
        Sample baseline = samples.peekFirst();
        Sample latest = samples.peekLast();
        List<Report> reports = new ArrayList<>();
        for (Key key : keys) {
            long total = received.getOrDefault(key, 0L);
            double rate = 0;
            Optional<Instant> last = Optional.ofNullable(lastChange.get(key));
            if (baseline != null) {
                double seconds =
                        Math.max(1.0, Duration.between(baseline.at(), now).toMillis() / 1000.0);
                rate = (total - baseline.received().getOrDefault(key, 0L)) / seconds;
            }
            if (latest != null && total > latest.received().getOrDefault(key, 0L)) {
                // counted since the last sample: it happened between that sample and now
                last = Optional.of(now);
            }
            reports.add(new Report(
                    key,
                    registered.getOrDefault(key, ""),
                    total,
                    rate,
                    bytes.getOrDefault(key, 0L),
                    failures.getOrDefault(key, Map.of()),
                    last,
                    Optional.ofNullable(lags.get(key))));
        }
        return reports;
    }

    private Map<Key, Lag> lags() {
        Map<Key, Lag> lags = new HashMap<>();
        for (Metrics.Series series : metrics.snapshot("kafka_consumer_lag")) {
            // the Kafka input counts its events as input "kafka", source = the topic
            Key key = new Key("kafka", series.label("topic"));
            lags.merge(key, new Lag("messages", series.value()), (a, b) -> new Lag(a.unit(), a.value() + b.value()));
        }
        for (Metrics.Series series : metrics.snapshot("watch_bytes_behind")) {
            lags.put(key(series), new Lag("bytes", series.value()));
        }
        return lags;
    }

    private static Map<Key, Long> sum(List<Metrics.Series> series) {
        Map<Key, Long> totals = new HashMap<>();
        for (Metrics.Series one : series) {
            totals.merge(key(one), one.value(), Long::sum);
        }
        return totals;
    }

    private static Key key(Metrics.Series series) {
        return new Key(series.label("input"), series.label("source"));
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
