package io.vigil.app;

import io.vigil.app.workspace.Workspace;
import io.vigil.formats.LogFormats;
import io.vigil.ingest.IngestPipeline;
import io.vigil.spi.EventStore;
import io.vigil.spi.Metrics;
import io.vigil.store.DuckDbResources;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.store.geo.GeoIpDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * A workspace opened for work: its identity, store, metrics and ingest pipeline, wired together, and the
 * GeoIP database the store opened for {@code geo_info_from_ip_address}, if any.
 */
public record VigilRuntime(
        Workspace workspace,
        EventStore store,
        Metrics metrics,
        IngestPipeline pipeline,
        Clock clock,
        Optional<GeoIpDatabase> geoIp)
        implements AutoCloseable {

    public VigilRuntime(Workspace workspace, EventStore store, Metrics metrics, IngestPipeline pipeline, Clock clock) {
        this(workspace, store, metrics, pipeline, clock, Optional.empty());
    }

    public static VigilRuntime open(Path dataDir) throws IOException {
        return open(dataDir, Optional.empty());
    }

    /** Opens the workspace with a GeoIP database for geo_info_from_ip_address, when one is given. */
    public static VigilRuntime open(Path dataDir, Optional<Path> geoIpDatabase) throws IOException {
        return open(dataDir, geoIpDatabase, DuckDbResources.defaults());
    }

    /** Opens the workspace with a GeoIP database, when one is given, and the DuckDB resources given. */
    public static VigilRuntime open(Path dataDir, Optional<Path> geoIpDatabase, DuckDbResources resources)
            throws IOException {
        Clock clock = Clock.systemUTC();
        Workspace workspace = Workspace.open(dataDir);
        Metrics metrics = new Metrics();
        StoreOptions options = StoreOptions.DEFAULT
                .withTenantId(workspace.workspaceId())
                .withGeoIpDatabase(geoIpDatabase)
                .withResources(resources);
        DuckDbStore store = DuckDbStore.open(dataDir, options, clock, metrics);
        IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, metrics);
        return new VigilRuntime(workspace, store, metrics, pipeline, clock, store.geoIp());
    }

    @Override
    public void close() {
        store.close();
    }
}
