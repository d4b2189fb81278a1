package io.vigil.formats.appinsights;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The items of one track request, already split and authenticated, handed to the pipeline as a format
 * so they are counted and committed like any input, while remembering which item index failed (the
 * track response reports errors per item index).
 */
public final class TrackBatch implements LogFormat {
    /** One item of the request, by its position in the body. */
    public sealed interface Item permits Envelope, Malformed {
        int index();
    }

    public record Envelope(int index, ObjectNode envelope) implements Item {
        public Envelope {
            requireNonNull(envelope, "envelope is null");
        }
    }

    public record Malformed(int index, byte[] raw, DeadLetterReason reason, String detail) implements Item {
        public Malformed {
            requireNonNull(raw, "raw is null");
            requireNonNull(reason, "reason is null");
            requireNonNull(detail, "detail is null");
        }
    }

    private final AppInsightsEnvelopeFormat envelopes = new AppInsightsEnvelopeFormat();
    private final List<Item> items;
    private final SortedMap<Integer, String> failures = new TreeMap<>();

    public TrackBatch(List<Item> items) {
        this.items = List.copyOf(items);
    }

    @Override
    public String name() {
        return AppInsightsEnvelopeFormat.NAME;
    }

    @Override
    public String description() {
        return envelopes.description();
    }

    @Override
    public List<String> outputTables() {
        return envelopes.outputTables();
    }

    @Override
    public int detect(byte[] head) {
        return 0;
    }

    /** Item index → why it was refused, after {@link #parse}. */
    public synchronized Map<Integer, String> failures() {
        return Map.copyOf(failures);
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        for (Item item : items) {
            switch (item) {
                case Envelope envelope ->
                    envelopes.map(source, envelope.envelope(), context, new IndexedSink(envelope.index(), sink));
                case Malformed malformed -> {
                    fail(malformed.index(), malformed.detail());
                    sink.deadLetter(
                            new DeadLetter(source, name(), malformed.reason(), malformed.detail(), malformed.raw()));
                }
            }
        }
    }

    private synchronized void fail(int index, String detail) {
        failures.putIfAbsent(index, detail);
    }

    private final class IndexedSink implements RecordSink {
        private final int index;
        private final RecordSink delegate;

        IndexedSink(int index, RecordSink delegate) {
            this.index = index;
            this.delegate = delegate;
        }

        @Override
        public void row(Row row) {
            delegate.row(row);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            fail(index, deadLetter.detail());
            delegate.deadLetter(deadLetter);
        }

        @Override
        public void repaired(String reason) {
            delegate.repaired(reason);
        }
    }
}
