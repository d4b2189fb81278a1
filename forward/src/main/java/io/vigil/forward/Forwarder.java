package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import io.vigil.metrics.Metrics;
import io.vigil.spi.BatchCommitted;
import io.vigil.spi.CommitStream;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.EventStore;
import io.vigil.spi.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * dead letters with the reason, at once; items the receiver refuses as invalid go there once the sink's
 * attempts are used up. Within a batch, items sent again may arrive after later ones; batches stay in order.
 */
public final class Forwarder implements AutoCloseable {
    /** Prefix of the sinks' subscriber names on the commit stream. */
    public static final String SUBSCRIBER_PREFIX = "forward.";

    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final SinkConfig config;
    private final EventStore store;
    private final Clock clock;
    private final SinkWriter writer;
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

    private Forwarder(SinkConfig config, EventStore store, Clock clock, Metrics metrics, SinkWriter writer) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.writer = writer;
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
        SinkWriter writer =
                SinkTypes.require(SinkTypes.check(config).type()).writer().build(config, clock, tls);
        Forwarder forwarder = new Forwarder(config, store, clock, metrics, writer);
        forwarder.subscription = store.subscribe(SUBSCRIBER_PREFIX + config.name(), config.start(), forwarder::onBatch);
        return forwarder;
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
                config.endpointText(),
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

    private void onBatch(BatchCommitted batch) throws Exception {
        if (!config.route().includes(batch.table())) {
            return;
        }
        pendingSince = Optional.of(batch.ingestionTime());
        List<SinkItem> items = new ArrayList<>();
        List<DeadLetter> poison = new ArrayList<>();
        int ordinal = 0;
        for (Row row : rows(batch)) {
            encode(row, batch.batchId() + "-" + ordinal++, items, poison);
        }
        deadLetter(poison);
        deliver(batch, items);
        pendingSince = Optional.empty();
    }

    /** The batch's rows, or what the route's filter returns of them. */
    private List<Row> rows(BatchCommitted batch) throws InterruptedException {
        Optional<String> filter = config.route().filter(batch.table());
        if (filter.isEmpty()) {
            return store.rows(batch);
        }
        try {
            // the engine does not promise the order of a query's rows: sorted by their values, the rows of a
            // batch sent again after a restart get the same delivery ids (<batch>-<ordinal>) as before
            return RouteFilter.run(filter.get(), store, batch, clock).stream()
                    .sorted(Comparator.comparing(Row::toString))
                    .toList();
        } catch (RuntimeException e) {
            // the commit stream retries the batch with backoff: a filter failing on it holds the sink, visibly
            failed.increment();
            lastError = Optional.of("filter failed: " + e.getMessage());
            lastErrorTime = Optional.of(clock.instant());
            throw e;
        }
    }

    private void encode(Row row, String id, List<SinkItem> items, List<DeadLetter> poison) {
        SinkItem item;
        try {
            item = writer.encode(row, id);
        } catch (RuntimeException e) {
            poison.add(new DeadLetter(
                    source(),
                    config.type(),
                    DeadLetterReason.WRONG_TYPE,
                    "not encodable: " + e.getMessage(),
                    row.toString().getBytes(StandardCharsets.UTF_8)));
            return;
        }
        if (item.body().length > writer.maxItemBytes()) {
            poison.add(new DeadLetter(
                    source(),
                    config.type(),
                    DeadLetterReason.OVERSIZE,
                    "message of " + item.body().length + " bytes; " + config.endpointText() + " takes at most "
                            + writer.maxItemBytes(),
                    item.body()));
            return;
        }
        items.add(item);
    }

    private String source() {
        return "sink:" + config.name();
    }

    private void deadLetter(List<DeadLetter> poison) throws Exception {
        if (!poison.isEmpty()) {
            // committed before the batch is acknowledged, so a crash cannot lose them either
            store.deadLetter(poison).get();
            deadLettered.add(poison.size());
        }
    }

    /**
     * Sends the batch's items until every one is accepted or dead-lettered. What the receiver refused as
     * invalid is sent again until the writer's attempts are used up; everything else it did not take is sent
     * again for ever, with backoff.
     */
    private void deliver(BatchCommitted batch, List<SinkItem> items) throws Exception {
        long backoffMillis = FIRST_BACKOFF.toMillis();
        List<SinkItem> pending = items;
        Map<String, Integer> refusals = new HashMap<>();
        while (!pending.isEmpty()) {
            List<SinkItem> again = new ArrayList<>();
            try {
                List<ItemOutcome> outcomes = writer.send(pending);
                if (outcomes.size() != pending.size()) {
                    throw new IOException(outcomes.size() + " outcomes for " + pending.size() + " items");
                }
                List<DeadLetter> refused = new ArrayList<>();
                Optional<String> problem = Optional.empty();
                long accepted = 0;
                for (int i = 0; i < pending.size(); i++) {
                    SinkItem item = pending.get(i);
                    switch (outcomes.get(i)) {
                        case ItemOutcome.Accepted taken -> accepted++;
                        case ItemOutcome.Retry retry -> {
                            again.add(item);
                            // a refusal says more than the retries it causes: it is the one shown
                            if (problem.isEmpty()) {
                                problem = Optional.of(retry.reason());
                            }
                        }
                        case ItemOutcome.Rejected rejected -> {
                            int attempts = refusals.merge(item.id(), 1, Integer::sum);
                            if (attempts >= writer.maxAttempts()) {
                                refused.add(new DeadLetter(
                                        source(),
                                        config.type(),
                                        DeadLetterReason.REJECTED_BY_RECEIVER,
                                        "refused " + attempts + " times: " + rejected.reason(),
                                        item.body()));
                            } else {
                                again.add(item);
                            }
                            problem = Optional.of(rejected.reason());
                        }
                    }
                }
                sent.add(accepted);
                deadLetter(refused);
                if (problem.isPresent()) {
                    failed.increment();
                    lastError = problem;
                    lastErrorTime = Optional.of(clock.instant());
                }
            } catch (IOException e) {
                failed.increment();
                lastError = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
                lastErrorTime = Optional.of(clock.instant());
                again = pending;
            }
            if (again.isEmpty()) {
                return;
            }
            pending = again;
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

    /** Stops delivery; the position stays, so a restarted sink resumes where this one stopped. */
    @Override
    public void close() {
        stopping.countDown();
        // the writer first: a request in flight to a stalled receiver fails now instead of holding the stop
        writer.close();
        subscription.close();
    }
}
