package io.vigil.app;

import io.vigil.forward.Forwarder;
import io.vigil.forward.SinkConfig;
import io.vigil.forward.SinkHealth;
import io.vigil.forward.SinksFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The workspace's sinks ({@code sinks.json}), each forwarding from its own position while the server runs. */
final class Forwarders implements AutoCloseable {
    private final List<Forwarder> running;

    private Forwarders(List<Forwarder> running) {
        this.running = running;
    }

    static Forwarders start(VigilRuntime runtime) {
        List<SinkConfig> sinks = SinksFile.load(runtime.store().dataDir());
        List<Forwarder> running = new ArrayList<>();
        try {
            for (SinkConfig sink : sinks) {
                running.add(
                        Forwarder.start(sink, runtime.store(), runtime.clock(), runtime.metrics(), Optional.empty()));
            }
        } catch (RuntimeException e) {
            running.forEach(Forwarder::close);
            throw e;
        }
        return new Forwarders(List.copyOf(running));
    }

    /** Each running sink's delivery health, in the order of {@code sinks.json}. */
    List<SinkHealth> health() {
        return running.stream().map(Forwarder::health).toList();
    }

    @Override
    public void close() {
        running.forEach(Forwarder::close);
    }
}
