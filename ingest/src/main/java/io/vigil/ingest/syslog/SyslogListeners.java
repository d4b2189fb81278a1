package io.vigil.ingest.syslog;

import static java.util.Objects.requireNonNull;

import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The syslog listeners of a server, started together and closed together. */
public final class SyslogListeners implements AutoCloseable {
    private final List<SyslogListener> listeners;

    private SyslogListeners(List<SyslogListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Starts every listener, or none: if one cannot bind, those already started are closed again. */
    public static SyslogListeners start(List<SyslogListenerConfig> configs, IngestPipeline pipeline, Metrics metrics)
            throws IOException, InterruptedException {
        requireNonNull(configs, "configs is null");
        List<SyslogListener> started = new ArrayList<>();
        try {
            for (SyslogListenerConfig config : configs) {
                started.add(SyslogListener.start(config, pipeline, metrics));
            }
        } catch (IOException | RuntimeException e) {
            for (SyslogListener listener : started) {
                listener.close();
            }
            throw e;
        }
        return new SyslogListeners(started);
    }

    public List<SyslogListener> listeners() {
        return listeners;
    }

    /** Stops reading on every listener, then waits until what they read is committed. */
    @Override
    public void close() throws InterruptedException {
        for (SyslogListener listener : listeners) {
            listener.close();
        }
    }
}
