package io.vigil.ingest.syslog;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.EventStore;
import io.vigil.spi.Metrics;
import io.vigil.spi.Row;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gathers the rows and dead letters of one listener into store writes of up to {@code maxBatchMessages}
 * messages or {@code linger} old, written by one flusher thread. Bounded: at most {@code maxReadyBatches}
 * full batches wait for the flusher, and callers of {@link #add} block beyond that, so a TCP connection
 * stops reading while the store's queue is full. Messages are counted as received once committed.
 */
final class SyslogBatcher implements AutoCloseable {
    /** Full batches that may wait for the store before readers block: bounds what is read ahead. */
    static final int MAX_READY_BATCHES = 4;

    private static final Logger LOG = Logger.getLogger(SyslogBatcher.class.getName());
    private static final long OVERLOAD_RETRY_MILLIS = 100;

    private final EventStore store;
    private final Metrics metrics;
    private final String input;
    private final int maxBatchMessages;
    private final long lingerNanos;
    private final int maxReadyBatches;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flusherWake = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread flusher;
    private Batch current = new Batch();
    private boolean closed;

    SyslogBatcher(
            EventStore store,
            Metrics metrics,
            String input,
            int maxBatchMessages,
            Duration linger,
            int maxReadyBatches) {
        this.store = requireNonNull(store, "store is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.input = requireNonNull(input, "input is null");
        this.maxBatchMessages = maxBatchMessages;
        this.lingerNanos = linger.toNanos();
        this.maxReadyBatches = maxReadyBatches;
        this.flusher = Thread.ofPlatform()
                .name("vigil-" + input + "-flusher")
                .daemon(true)
                .start(this::run);
    }

    /**
     * Adds what one message became; blocks while the flusher is behind.
     *
     * @param format the format label of the message's counters
     */
    void add(List<Row> rows, List<DeadLetter> deadLetters, String format) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (ready.size() >= maxReadyBatches && !closed) {
                room.await();
            }
            if (closed) {
                throw new VigilException(StandardErrorCode.INGEST_CLOSED, input + " listener is closed");
            }
            current.add(rows, deadLetters, format);
            if (current.messages == 1) {
                current.deadline = System.nanoTime() + lingerNanos;
                flusherWake.signal();
            }
            if (current.messages >= maxBatchMessages) {
                ready.add(current);
                current = new Batch();
                flusherWake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is left, waits for every write to commit (bounded by {@code timeout}), then stops. */
    void close(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            flusherWake.signalAll();
            room.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        flusher.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (flusher.isAlive()) {
            LOG.severe(input + ": the store did not take the last syslog batches within " + timeout
                    + "; messages read but not written are lost");
            return;
        }
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            // already counted and logged by the write's own completion
        } catch (TimeoutException e) {
            LOG.severe(input + ": syslog batches were not committed within " + timeout);
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(60));
    }

    private void run() {
        while (true) {
            Batch batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                LOG.severe(input + ": syslog flusher interrupted; messages read but not written are lost");
                return;
            }
            if (batch == null) {
                return;
            }
            write(batch);
        }
    }

    /** The next batch to write: a full one, or the current one once its linger is over; null when closed. */
    private Batch nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (ready.isEmpty()) {
                if (current.messages > 0 && (closed || System.nanoTime() - current.deadline >= 0)) {
                    ready.add(current);
                    current = new Batch();
                } else if (closed) {
                    return null;
                } else if (current.messages == 0) {
                    flusherWake.await();
                } else {
                    flusherWake.awaitNanos(current.deadline - System.nanoTime());
                }
            }
            Batch batch = ready.poll();
            room.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void write(Batch batch) {
        // one write per table, so that a write refused for overload is retried without duplicating the others
        batch.rowsByTable.forEach(
                (table, rows) -> submit(() -> store.write(rows.rows), rows.countsByFormat, List.of()));
        if (!batch.deadLetters.isEmpty()) {
            TreeMap<String, Long> counts = new TreeMap<>();
            for (DeadLetter deadLetter : batch.deadLetters) {
                counts.merge(deadLetter.format(), 1L, Long::sum);
            }
            submit(() -> store.deadLetter(batch.deadLetters), counts, batch.deadLetters);
        }
    }

    private interface StoreWrite {
        CompletableFuture<Void> start() throws InterruptedException;
    }

    private void submit(StoreWrite write, Map<String, Long> countsByFormat, List<DeadLetter> deadLetters) {
        boolean warned = false;
        while (true) {
            CompletableFuture<Void> commit;
            try {
                commit = write.start();
            } catch (VigilException e) {
                if (e.errorCode() == StandardErrorCode.INGEST_OVERLOADED) {
                    // the connections are blocked behind this batch, which is back-pressure; retry until it fits
                    if (!warned) {
                        LOG.warning(input + ": store overloaded, syslog reading paused: " + e.getMessage());
                        warned = true;
                    }
                    if (!pause()) {
                        lost(countsByFormat, e);
                        return;
                    }
                    continue;
                }
                lost(countsByFormat, e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lost(countsByFormat, e);
                return;
            }
            inFlight.add(commit);
            commit.whenComplete((ignored, failure) -> {
                inFlight.remove(commit);
                if (failure != null) {
                    lost(countsByFormat, failure);
                    return;
                }
                countsByFormat.forEach(
                        (format, count) -> metrics.counter("events_received_total", "input", input, "format", format)
                                .add(count));
                for (DeadLetter deadLetter : deadLetters) {
                    metrics.counter(
                                    "events_failed_total",
                                    "input",
                                    input,
                                    "format",
                                    deadLetter.format(),
                                    "reason",
                                    deadLetter.reason().code())
                            .increment();
                }
            });
            return;
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(OVERLOAD_RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void lost(Map<String, Long> countsByFormat, Throwable failure) {
        long messages =
                countsByFormat.values().stream().mapToLong(Long::longValue).sum();
        LOG.log(Level.SEVERE, input + ": " + messages + " syslog records could not be stored", failure);
        countsByFormat.forEach((format, count) -> metrics.counter(
                        "events_failed_total",
                        "input",
                        input,
                        "format",
                        format,
                        "reason",
                        DeadLetterReason.STORE_REJECTED.code())
                .add(count));
    }

    /** Rows by table (with their counts by format) and dead letters of up to maxBatchMessages messages. */
    private static final class Batch {
        private final Map<String, TableRows> rowsByTable = new LinkedHashMap<>();
        private final List<DeadLetter> deadLetters = new ArrayList<>();
        private int messages;
        private long deadline;

        void add(List<Row> rows, List<DeadLetter> letters, String format) {
            for (Row row : rows) {
                TableRows table = rowsByTable.computeIfAbsent(row.table().name(), ignored -> new TableRows());
                table.rows.add(row);
                table.countsByFormat.merge(format, 1L, Long::sum);
            }
            deadLetters.addAll(letters);
            messages++;
        }
    }

    private static final class TableRows {
        private final List<Row> rows = new ArrayList<>();
        private final TreeMap<String, Long> countsByFormat = new TreeMap<>();
    }
}
