package io.vigil.store;

import java.time.Duration;

/**
 * Batching and back-pressure settings of a table writer.
 *
 * @param maxBatchRows a batch is written once it has this many rows
 * @param linger how long a writer waits for more rows before writing a smaller batch
 * @param maxQueuedRows rows accepted but not yet committed, per table; callers wait beyond this
 * @param enqueueTimeout how long a caller waits for queue space before the write is refused
 */
public record WriterConfig(int maxBatchRows, Duration linger, int maxQueuedRows, Duration enqueueTimeout) {
    public static final WriterConfig DEFAULT =
            new WriterConfig(50_000, Duration.ofMillis(20), 200_000, Duration.ofSeconds(30));

    public WriterConfig {
        if (maxBatchRows <= 0 || maxQueuedRows < maxBatchRows) {
            throw new IllegalArgumentException("need 0 < maxBatchRows <= maxQueuedRows");
        }
        if (linger.isNegative() || enqueueTimeout.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }
}
