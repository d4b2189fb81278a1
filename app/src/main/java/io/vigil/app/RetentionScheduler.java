package io.vigil.app;

import io.vigil.spi.EventStore;
import io.vigil.spi.RetentionRun;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Applies per-table retention once at start and then hourly, and hands each run to the integrity chain. */
final class RetentionScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RetentionScheduler.class.getName());

    private final EventStore store;
    private final Consumer<RetentionRun> recorder;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vigil-retention").daemon().factory());

    RetentionScheduler(EventStore store, Consumer<RetentionRun> recorder) {
        this.store = store;
        this.recorder = recorder;
    }

    void start() {
        executor.scheduleWithFixedDelay(this::runOnce, 1, 3600, TimeUnit.SECONDS);
    }

    private void runOnce() {
        try {
            recorder.accept(store.applyRetention());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention pass failed; retrying in an hour", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
