package io.vigil.spi;

/** Receives committed batches of a subscription, one at a time, on the subscription's own thread. */
@FunctionalInterface
public interface CommitListener {
    /**
     * Handles one batch. Returning acknowledges it: the subscription records its position durably before
     * it delivers the next batch, so an acknowledged batch is never delivered again. Throwing leaves it
     * unacknowledged: it is delivered again after a pause, and nothing after it is delivered before.
     */
    void onBatch(BatchCommitted batch) throws Exception;
}
