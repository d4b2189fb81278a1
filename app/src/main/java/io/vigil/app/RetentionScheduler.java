package io.vigil.app;

import io.vigil.spi.EventStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Applies per-table retention once at start and then hourly. */
final class RetentionScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RetentionScheduler.class.getName());

    private final EventStore store;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vigil-retention").daemon().factory());

    RetentionScheduler(EventStore store) {
        this.store = store;
    }

    void start() {
        executor.scheduleWithFixedDelay(this::runOnce, 1, 3600, TimeUnit.SECONDS);
    }

    private void runOnce() {
        try {
            store.applyRetention();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention pass failed; retrying in an hour", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
