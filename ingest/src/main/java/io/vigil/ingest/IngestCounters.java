package io.vigil.ingest;

import static java.util.Objects.requireNonNull;

import io.vigil.metrics.Metrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters every input exports, kept in one place: whichever road a record takes through the
 * pipeline (a whole input at a time, or a stream of messages), it is counted here, under the same names
 * and labels.
 */
final class IngestCounters {
    private final Metrics metrics;

    IngestCounters(Metrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        metrics.describe("events_received_total", "Records received, per input and format");
        metrics.describe("events_failed_total", "Records dead-lettered, per input, format and reason");
        metrics.describe("bytes_received_total", "Bytes received, per input");
        metrics.describe("repairs_total", "Inputs repaired before parsing, per input, format and reason");
    }

    /** The bytes counter of an input, for transports that count as they read. */
    LongAdder bytes(IngestInput input) {
        return metrics.counter("bytes_received_total", input.labels());
    }

    void received(IngestInput input, String format, long records) {
        metrics.counter("events_received_total", input.labels("format", format)).add(records);
    }

    void failed(IngestInput input, String format, String reason, long records) {
        metrics.counter("events_failed_total", input.labels("format", format, "reason", reason))
                .add(records);
    }

    void repaired(IngestInput input, String format, String reason) {
        metrics.counter("repairs_total", input.labels("format", format, "reason", reason))
                .increment();
    }
}
