package io.vigil.ingest;

import static java.util.Objects.requireNonNull;

import io.vigil.formats.LogFormats;
import io.vigil.metrics.Metrics;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.EventStore;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Input bytes → format → rows and dead letters → store, returning only after everything is committed,
 * so a transport acknowledges its sender at the right moment. Counts what it sees per input and format.
 */
public final class IngestPipeline {
    /** Rows handed to the store at a time while a large input is parsed (bounds memory). */
    private static final int FLUSH_ROWS = 20_000;

    private static final int DETECT_BYTES = 64 * 1024;

    private final EventStore store;
    private final LogFormats formats;
    private final Clock clock;
    private final Metrics metrics;
    private final IngestCounters counters;

    public IngestPipeline(EventStore store, LogFormats formats, Clock clock, Metrics metrics) {
        this.store = requireNonNull(store, "store is null");
        this.formats = requireNonNull(formats, "formats is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.counters = new IngestCounters(metrics);
    }

    public EventStore store() {
        return store;
    }

    public LogFormats formats() {
        return formats;
    }

    public Metrics metrics() {
        return metrics;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Opens a stream for an input that receives many small messages (syslog): each message's rows and
     * dead letters are added as they are parsed and written in batches by the stream's own thread.
     */
    public IngestStream openStream(IngestInput input, int maxBatchMessages, Duration linger) {
        return new IngestStream(store, counters, input, maxBatchMessages, linger, IngestStream.MAX_READY_BATCHES);
    }

    /** The bytes counter of an input, for transports that count bytes as they read them. */
    public LongAdder bytesReceived(IngestInput input) {
        return counters.bytes(input);
    }

    /** The format for an input: the forced one, else the most confident detector. */
    public Optional<LogFormat> chooseFormat(byte[] input, Optional<LogFormat> forced) {
        if (forced.isPresent()) {
            return forced;
        }
        return formats.detect(Arrays.copyOf(input, Math.min(input.length, DETECT_BYTES)));
    }

    /**
     * Parses and stores one input (a file, a request body, a message) and waits for the commit.
     *
     * @param input the transport that received it, a low-cardinality metric label ("file_import", "http")
     * @param source where exactly it came from (path, peer), kept with dead letters
     */
    public IngestResult ingest(String input, String source, byte[] bytes, Optional<LogFormat> forced)
            throws InterruptedException {
        return ingest(IngestInput.of(input), source, bytes, forced);
    }

    /**
     * As {@link #ingest(String, String, byte[], Optional)}, counted under the input's endpoint too (a DCR
     * stream, a Kafka topic, a watched folder), so the per-source health view can tell them apart.
     */
    public IngestResult ingest(IngestInput input, String source, byte[] bytes, Optional<LogFormat> forced)
            throws InterruptedException {
        return ingest(input, source, bytes, forced, "");
    }

    /**
     * As {@link #ingest(IngestInput, String, byte[], Optional)}, storing every row and dead letter as part
     * of the import {@code importKey} ("" for none), whose committed rows the store can find again until
     * the import is recorded (see {@code DuckDbStore.write(List, String)}).
     */
    public IngestResult ingest(
            IngestInput input, String source, byte[] bytes, Optional<LogFormat> forced, String importKey)
            throws InterruptedException {
        requireNonNull(input, "input is null");
        requireNonNull(importKey, "importKey is null");
        counters.bytes(input).add(bytes.length);
        Optional<LogFormat> format = chooseFormat(bytes, forced);
        if (format.isEmpty()) {
            DeadLetter unknown = new DeadLetter(
                    source, "", DeadLetterReason.UNKNOWN_FORMAT, "no format recognises this input", bytes);
            await(store.deadLetter(List.of(unknown), importKey));
            counters.received(input, "", 1);
            counters.failed(input, "", unknown.reason().code(), 1);
            return IngestResult.deadLettered(unknown.reason());
        }
        StoringSink sink = new StoringSink(input, format.get().name(), importKey);
        format.get().parse(source, bytes, ParseContext.of(store.catalog(), clock), sink);
        sink.flush();
        for (CompletableFuture<Void> commit : sink.commits) {
            await(commit);
        }
        return new IngestResult(
                format.get().name(), sink.rowsByTable(), sink.deadLettersByReason, sink.repairsByReason);
    }

    private static void await(CompletableFuture<Void> commit) throws InterruptedException {
        try {
            commit.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VigilException vigil) {
                throw vigil;
            }
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "commit failed", e.getCause());
        }
    }

    /** Buffers what a format emits and hands it to the store in bounded chunks. */
    private final class StoringSink implements RecordSink {
        private final IngestInput input;
        private final String format;
        private final String importKey;
        private final List<Row> rows = new ArrayList<>();
        private final List<DeadLetter> deadLetters = new ArrayList<>();
        private final List<CompletableFuture<Void>> commits = new ArrayList<>();
        private final TreeMap<String, Long> rowsByTable = new TreeMap<>();
        private final TreeMap<String, Long> deadLettersByReason = new TreeMap<>();
        private final TreeMap<String, Long> repairsByReason = new TreeMap<>();

        StoringSink(IngestInput input, String format, String importKey) {
            this.input = input;
            this.format = format;
            this.importKey = importKey;
        }

        // rows of one table usually come in runs: counted per run, merged into rowsByTable when the table changes
        private String runTable;
        private long runRows;

        @Override
        public void row(Row parsed) {
            Row row = store.admitTime(parsed, clock.instant());
            if (row != parsed) {
                repaired(EventStore.TIME_REPAIR_REASON);
            }
            rows.add(row);
            String table = row.table().name();
            if (!table.equals(runTable)) {
                countRun();
                runTable = table;
            }
            runRows++;
            if (rows.size() >= FLUSH_ROWS) {
                flush();
            }
        }

        private void countRun() {
            if (runRows > 0) {
                rowsByTable.merge(runTable, runRows, Long::sum);
                runRows = 0;
            }
        }

        TreeMap<String, Long> rowsByTable() {
            countRun();
            return rowsByTable;
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            deadLetters.add(deadLetter);
            deadLettersByReason.merge(deadLetter.reason().code(), 1L, Long::sum);
            counters.received(input, format, 1);
            counters.failed(input, format, deadLetter.reason().code(), 1);
        }

        @Override
        public void repaired(String reason) {
            repairsByReason.merge(reason, 1L, Long::sum);
            counters.repaired(input, format, reason);
        }

        void flush() {
            try {
                if (!rows.isEmpty()) {
                    counters.received(input, format, rows.size());
                    commits.add(store.write(List.copyOf(rows), importKey));
                    rows.clear();
                }
                if (!deadLetters.isEmpty()) {
                    commits.add(store.deadLetter(List.copyOf(deadLetters), importKey));
                    deadLetters.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VigilException(StandardErrorCode.INGEST_CLOSED, "interrupted while queueing rows", e);
            }
        }
    }
}
