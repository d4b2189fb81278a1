package io.vigil.store;

import java.util.concurrent.CountDownLatch;

/**
 * Holds every table writer of a real store before its next batch until released, so that tests outside
 * the store module can fill its queues and watch back-pressure, or stop a process at an exact batch. Lives in the store's package to reach its
 * test hook; the store's test jar shares it with the modules above (syslog, HTTP ingestion).
 */
public final class StoreWriterGate {
    private final CountDownLatch released = new CountDownLatch(1);

    private StoreWriterGate() {}

    public static StoreWriterGate hold(DuckDbStore store) {
        StoreWriterGate gate = new StoreWriterGate();
        store.beforeEachBatchForTesting(() -> {
            try {
                gate.released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return gate;
    }

    /** Runs {@code hook} in the writers right before each batch, to stop a process at an exact batch. */
    public static void beforeEachBatch(DuckDbStore store, Runnable hook) {
        store.beforeEachBatchForTesting(hook);
    }

    public void release() {
        released.countDown();
    }
}
