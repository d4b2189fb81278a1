package io.vigil.app;

import io.vigil.app.audit.AuditTrail;
import io.vigil.app.workspace.Workspace;
import io.vigil.formats.LogFormats;
import io.vigil.ingest.IngestPipeline;
import io.vigil.integrity.IntegrityLayout;
import io.vigil.integrity.IntegrityRecorder;
import io.vigil.metrics.Metrics;
import io.vigil.spi.EventStore;
import io.vigil.store.DuckDbResources;
import io.vigil.store.DuckDbStore;
import io.vigil.store.HiddenColumns;
import io.vigil.store.StoreOptions;
import io.vigil.store.geo.GeoIpDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A workspace opened for work: its identity, store, metrics and ingest pipeline, wired together, the
 * GeoIP database the store opened for {@code geo_info_from_ip_address}, if any, and the recorder that
 * keeps the integrity chain over every committed batch (docs/integrity.md).
 */
public record VigilRuntime(
        Workspace workspace,
        EventStore store,
        Metrics metrics,
        IngestPipeline pipeline,
        Clock clock,
        Optional<GeoIpDatabase> geoIp,
        Optional<IntegrityRecorder> integrity,
        Optional<AuditTrail.Drainer> auditOutbox)
        implements AutoCloseable {
    /** The store's hidden columns the chain covers besides the visible ones. */
    public static final IntegrityLayout INTEGRITY_LAYOUT =
            new IntegrityLayout(HiddenColumns.BATCH_ID, HiddenColumns.ROW_SEQUENCE);

    private static final Logger LOG = Logger.getLogger(VigilRuntime.class.getName());
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
    private static final Duration CHAIN_CATCH_UP = Duration.ofSeconds(30);

    public VigilRuntime(Workspace workspace, EventStore store, Metrics metrics, IngestPipeline pipeline, Clock clock) {
        this(workspace, store, metrics, pipeline, clock, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The workspace's audit trail of admin and responder actions (SentinelAudit, docs/security.md). */
    public AuditTrail audit() {
        return AuditTrail.of(workspace.dataDir(), clock);
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
        StoreOptions options = StoreOptions.builder()
                .tenantId(workspace.workspaceId())
                .geoIpDatabase(geoIpDatabase)
                .resources(resources)
                .build();
        DuckDbStore store = DuckDbStore.open(dataDir, options, clock, metrics);
        IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, metrics);
        IntegrityRecorder integrity;
        AuditTrail.Drainer audit;
        try {
            integrity = IntegrityRecorder.start(store, INTEGRITY_LAYOUT, clock, CHECKPOINT_INTERVAL);
            // actions commands recorded while no process had the workspace open are stored now, then every second
            audit = AuditTrail.Drainer.start(dataDir, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new VigilRuntime(
                workspace, store, metrics, pipeline, clock, store.geoIp(), Optional.of(integrity), Optional.of(audit));
    }

    @Override
    public void close() {
        try {
            // the last actions go into the store before the chain catches up and the store closes
            auditOutbox.ifPresent(AuditTrail.Drainer::close);
            if (integrity.isPresent()) {
                // what the command committed is chained and signed before the process ends
                if (!integrity.get().awaitCaughtUp(CHAIN_CATCH_UP)) {
                    LOG.warning("the integrity chain did not catch up before closing; it resumes on the next start");
                }
                integrity.get().close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            store.close();
        }
    }
}
