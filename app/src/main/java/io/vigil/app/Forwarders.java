package io.vigil.app;

import io.vigil.forward.Forwarder;
import io.vigil.forward.SinkConfig;
import io.vigil.forward.SinkHealth;
import io.vigil.forward.SinksFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The workspace's sinks ({@code sinks.json}), each forwarding from its own position while the server runs.
 * The file is read again every {@link #RELOAD_MILLIS} ms, so {@code vigil sinks add|remove} reach a running
 * server: added or changed sinks start, removed ones stop. A file that no longer loads is logged and the
 * running sinks are kept: a bad edit never stops forwarding or the server.
 */
final class Forwarders implements AutoCloseable {
    static final long RELOAD_MILLIS = 500;
    private static final Logger LOG = Logger.getLogger(Forwarders.class.getName());

    private final VigilRuntime runtime;
    private final Map<String, Forwarder> running = new LinkedHashMap<>();
    private final ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "vigil-sinks-reload");
        thread.setDaemon(true);
        return thread;
    });
    private String lastFailure = "";

    private Forwarders(VigilRuntime runtime) {
        this.runtime = runtime;
    }

    static Forwarders start(VigilRuntime runtime) {
        Forwarders forwarders = new Forwarders(runtime);
        try {
            // at startup a bad file stops the start, naming the sink
            forwarders.apply(SinksFile.load(runtime.store().dataDir()));
        } catch (RuntimeException e) {
            forwarders.close();
            throw e;
        }
        forwarders.reloader.scheduleWithFixedDelay(
                forwarders::reload, RELOAD_MILLIS, RELOAD_MILLIS, TimeUnit.MILLISECONDS);
        return forwarders;
    }

    private void reload() {
        try {
            apply(SinksFile.load(runtime.store().dataDir()));
            lastFailure = "";
        } catch (RuntimeException e) {
            String failure = String.valueOf(e.getMessage());
            if (!failure.equals(lastFailure)) {
                LOG.severe("sinks.json not applied, the running sinks are kept: " + failure);
                lastFailure = failure;
            }
        }
        try {
            // keeps the forward_lag_events and forward_lag_seconds gauges of /metrics current
            health();
        } catch (RuntimeException e) {
            LOG.fine("sink lag not measured: " + e.getMessage());
        }
    }

    private synchronized void apply(List<SinkConfig> wanted) {
        Map<String, SinkConfig> byName = new LinkedHashMap<>();
        wanted.forEach(sink -> byName.put(sink.name(), sink));
        for (String name : new ArrayList<>(running.keySet())) {
            SinkConfig now = byName.get(name);
            if (now == null || !now.equals(running.get(name).config())) {
                running.remove(name).close();
                LOG.info("sink " + name + " stopped");
            }
        }
        for (SinkConfig sink : byName.values()) {
            if (!running.containsKey(sink.name())) {
                running.put(
                        sink.name(),
                        Forwarder.start(sink, runtime.store(), runtime.clock(), runtime.metrics(), Optional.empty()));
                LOG.info("sink " + sink.name() + " started");
            }
        }
    }

    /** Each running sink's delivery health, in the order they started. */
    synchronized List<SinkHealth> health() {
        return running.values().stream().map(Forwarder::health).toList();
    }

    @Override
    public void close() {
        reloader.shutdownNow();
        synchronized (this) {
            running.values().forEach(Forwarder::close);
            running.clear();
        }
    }
}
