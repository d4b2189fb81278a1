package io.vigil.app;

import io.vigil.formats.LogFormats;
import io.vigil.ingest.IngestPipeline;
import io.vigil.spi.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** A workspace opened for work: its identity, store, metrics and ingest pipeline, wired together. */
public record VigilRuntime(
        Workspace workspace, DuckDbStore store, Metrics metrics, IngestPipeline pipeline, Clock clock)
        implements AutoCloseable {

    public static VigilRuntime open(Path dataDir) throws IOException {
        Clock clock = Clock.systemUTC();
        Workspace workspace = Workspace.open(dataDir);
        Metrics metrics = new Metrics();
        DuckDbStore store =
                DuckDbStore.open(dataDir, StoreOptions.DEFAULT.withTenantId(workspace.workspaceId()), clock, metrics);
        IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, metrics);
        return new VigilRuntime(workspace, store, metrics, pipeline, clock);
    }

    @Override
    public void close() {
        store.close();
    }
}
