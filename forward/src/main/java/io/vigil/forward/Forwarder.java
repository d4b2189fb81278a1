package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.BatchCommitted;
import io.vigil.spi.CommitStream;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.EventStore;
import io.vigil.spi.Metrics;
import io.vigil.spi.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;

/**
 * Delivers one sink's route, at least once: a named subscriber on the commit stream (its durable position
 * is the sink's cursor) that acknowledges a batch only after the transport accepted all its messages.
 *
 * <p>While the receiver is unreachable the batch in hand is retried with exponential backoff and jitter
 * (from 100 ms up to the sink's {@code maxBackoff}); nothing after it is read, and since the commit stream
 * is the store's own ledger, a sink that is down for hours holds nothing in memory and loses nothing: it
 * catches up from its position when the receiver returns. Ingest and other sinks never wait for it.
 * Messages that no retry could deliver (not encodable, or longer than the transport carries) go to the
 * dead letters with the reason, at once.
 */
public final class Forwarder implements AutoCloseable {
    /** Prefix of the sinks' subscriber names on the commit stream. */
    public static final String SUBSCRIBER_PREFIX = "forward.";

    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final SinkConfig config;
    private final EventStore store;
    private final Clock clock;
    private final Encoder encoder;
    private final Optional<Transport> transport;
    private final Optional<KafkaTransport> kafka;
    private final LongAdder sent;
    private final LongAdder failed;
    private final LongAdder retried;
    private final LongAdder deadLettered;
    private final AtomicLong lagEvents;
    private final AtomicLong lagSeconds;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Optional<String> lastError = Optional.empty();
    private volatile Optional<Instant> lastErrorTime = Optional.empty();
    private volatile Optional<Instant> pendingSince = Optional.empty();
    private CommitSubscription subscription;

    private Forwarder(
            SinkConfig config,
            EventStore store,
            Clock clock,
            Metrics metrics,
            Optional<Transport> transport,
            Optional<KafkaTransport> kafka) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.encoder = SinkTypes.byName(config.type()).orElseThrow().encoder().apply(config);
        this.transport = transport;
        this.kafka = kafka;
        String[] labels = {"sink", config.name(), "type", config.type()};
        this.sent = metrics.counter("forward_events_sent_total", labels);
        this.failed = metrics.counter("forward_send_failures_total", labels);
        this.retried = metrics.counter("forward_retries_total", labels);
        this.deadLettered = metrics.counter("forward_events_dead_lettered_total", labels);
        this.lagEvents = metrics.gauge("forward_lag_events", labels);
        this.lagSeconds = metrics.gauge("forward_lag_seconds", labels);
    }

    /**
     * Builds the sink (a bad setting throws here, not at the first event) and starts delivery from its
     * durable position. {@code tls} is the context a tls transport trusts the receiver with.
     */
    public static Forwarder start(
            SinkConfig config, EventStore store, Clock clock, Metrics metrics, Optional<SSLContext> tls) {
        requireNonNull(config, "config is null");
        requireNonNull(store, "store is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(tls, "tls is null");
        try {
            RouteFilter.check(config.route(), store, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sink " + config.name() + ": " + e.getMessage(), e);
        }
        Forwarder forwarder;
        if (config.kafka().isPresent()) {
            forwarder = new Forwarder(
                    config, store, clock, metrics, Optional.empty(), Optional.of(new KafkaTransport(config)));
        } else {
            forwarder =
                    new Forwarder(config, store, clock, metrics, Optional.of(syslog(config, tls)), Optional.empty());
        }
        forwarder.subscription = store.subscribe(SUBSCRIBER_PREFIX + config.name(), config.start(), forwarder::onBatch);
        return forwarder;
    }

    private static Transport syslog(SinkConfig config, Optional<SSLContext> tls) {
        InetSocketAddress peer = InetSocketAddress.createUnresolved(config.host(), config.port());
        return switch (config.transport()) {
            case UDP -> new UdpTransport(peer);
            case TCP -> new StreamTransport(peer, config.framing(), Optional.empty());
            case TLS ->
                new StreamTransport(peer, Framing.OCTET_COUNTING, Optional.of(tls.orElseGet(Forwarder::defaultTls)));
        };
    }

    public SinkConfig config() {
        return config;
    }

    /**
     * The sink's delivery health, also setting its {@code forward_lag_events} and {@code forward_lag_seconds}
     * gauges: the rows of routed tables committed after its position, and how long ago the oldest of their
     * batches was committed.
     */
    public SinkHealth health() {
        long position = subscription.position();
        boolean caughtUp = subscription.caughtUp();
        long events = 0;
        Optional<Instant> oldest = Optional.empty();
        for (CommitStream.Backlog backlog : store.backlog(position)) {
            if (config.route().includes(backlog.table())) {
                events += backlog.rows();
                if (oldest.isEmpty() || backlog.oldestCommitted().isBefore(oldest.get())) {
                    oldest = Optional.of(backlog.oldestCommitted());
                }
            }
        }
        if (oldest.isEmpty() && !caughtUp) {
            oldest = pendingSince;
        }
        long lag = 0;
        if (oldest.isPresent()) {
            lag = Math.max(0, Duration.between(oldest.get(), clock.instant()).toSeconds());
        }
        lagEvents.set(events);
        lagSeconds.set(lag);
        return new SinkHealth(
                config.name(),
                config.type(),
                endpoint(),
                sent.sum(),
                failed.sum(),
                retried.sum(),
                deadLettered.sum(),
                position,
                caughtUp,
                lag,
                events,
                lastError,
                lastErrorTime);
    }

    /** Where it sends: {@code tcp://host:port} for syslog, {@code kafka://host:port/topic} for Kafka. */
    private String endpoint() {
        String address = SinksFile.endpoint(config);
        if (config.kafka().isEmpty()) {
            return config.transport().configName() + "://" + address;
        }
        String scheme = "kafka";
        if (config.transport() == TransportKind.TLS) {
            scheme = "kafka+tls";
        }
        return scheme + "://" + address + "/" + config.kafka().get().topic().orElse("insights-logs-<category>");
    }

    private void onBatch(BatchCommitted batch) throws Exception {
        if (!config.route().includes(batch.table())) {
            return;
        }
        pendingSince = Optional.of(batch.ingestionTime());
        List<Row> rows = rows(batch);
        List<DeadLetter> poison = new ArrayList<>();
        if (kafka.isPresent()) {
            List<KafkaTransport.Envelope> envelopes = RecordEnvelopes.of(
                    rows,
                    config.kafka().orElseThrow(),
                    encoder,
                    (row, reason, detail, bytes) ->
                            poison.add(new DeadLetter("sink:" + config.name(), config.type(), reason, detail, bytes)));
            deadLetter(poison);
            int records = rows.size() - poison.size();
            deliver(batch, records, () -> kafka.get().send(envelopes));
        } else {
            List<byte[]> messages = new ArrayList<>();
            for (Row row : rows) {
                encode(row, messages, poison);
            }
            deadLetter(poison);
            deliver(batch, messages.size(), () -> transport.orElseThrow().send(messages));
        }
        pendingSince = Optional.empty();
    }

    private void deadLetter(List<DeadLetter> poison) throws Exception {
        if (!poison.isEmpty()) {
            // committed before the batch is acknowledged, so a crash cannot lose them either
            store.deadLetter(poison).get();
            deadLettered.add(poison.size());
        }
    }

    /** One attempt to hand a batch's messages to the receiver; throws when it did not take them all. */
    @FunctionalInterface
    private interface Attempt {
        void send() throws IOException;
    }

    /** The batch's rows, or what the route's filter returns of them. */
    private List<Row> rows(BatchCommitted batch) throws InterruptedException {
        Optional<String> filter = config.route().filter(batch.table());
        if (filter.isEmpty()) {
            return store.rows(batch);
        }
        try {
            return RouteFilter.run(filter.get(), store, batch, clock);
        } catch (RuntimeException e) {
            // the commit stream retries the batch with backoff: a filter failing on it holds the sink, visibly
            failed.increment();
            lastError = Optional.of("filter failed: " + e.getMessage());
            lastErrorTime = Optional.of(clock.instant());
            throw e;
        }
    }

    private void encode(Row row, List<byte[]> messages, List<DeadLetter> poison) {
        String source = "sink:" + config.name();
        byte[] message;
        try {
            Instant time = clock.instant();
            if (row.table().indexOf("TimeGenerated") >= 0 && row.get("TimeGenerated") instanceof Instant generated) {
                time = generated;
            }
            String text = encoder.encode(row);
            message = config.syslog()
                    .format(Severities.of(row), time, row.table().name(), text)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            poison.add(new DeadLetter(
                    source,
                    config.type(),
                    DeadLetterReason.WRONG_TYPE,
                    "not encodable: " + e.getMessage(),
                    row.toString().getBytes(StandardCharsets.UTF_8)));
            return;
        }
        int maxMessageBytes = transport.orElseThrow().maxMessageBytes();
        if (message.length > maxMessageBytes) {
            poison.add(new DeadLetter(
                    source,
                    config.type(),
                    DeadLetterReason.OVERSIZE,
                    "message of " + message.length + " bytes; "
                            + config.transport().configName() + " carries at most " + maxMessageBytes,
                    message));
            return;
        }
        messages.add(message);
    }

    private void deliver(BatchCommitted batch, int count, Attempt attempt) throws InterruptedException {
        long backoffMillis = FIRST_BACKOFF.toMillis();
        while (true) {
            try {
                attempt.send();
                sent.add(count);
                return;
            } catch (IOException e) {
                failed.increment();
                lastError = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
                lastErrorTime = Optional.of(clock.instant());
            }
            // jitter: a pause between half and all of the backoff, so sinks do not retry in step
            long pause = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
            if (stopping.await(pause, TimeUnit.MILLISECONDS)) {
                // not acknowledged: the batch comes again when the sink starts again
                throw new IllegalStateException(
                        "sink " + config.name() + " stopped before batch " + batch.batchId() + " was delivered");
            }
            retried.increment();
            backoffMillis = Math.min(backoffMillis * 2, config.maxBackoff().toMillis());
        }
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /** Stops delivery; the position stays, so a restarted sink resumes where this one stopped. */
    @Override
    public void close() {
        stopping.countDown();
        // a producer waiting for a broker that is down gives up at once, so the subscription's thread ends
        kafka.ifPresent(KafkaTransport::close);
        subscription.close();
        transport.ifPresent(Transport::close);
    }
}
