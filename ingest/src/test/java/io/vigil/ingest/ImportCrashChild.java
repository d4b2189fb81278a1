package io.vigil.ingest;

import io.vigil.formats.LogFormats;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.RetentionPolicy;
import io.vigil.store.StoreOptions;
import io.vigil.store.StoreWriterGate;
import io.vigil.store.WriterConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process {@link ImportCrashTest} kills: imports the given files into a store whose writers commit
 * {@link #BATCH_ROWS} rows per batch, and stops at one point, printing {@code HELD}, until it is killed:
 * {@code batch N} right before the N-th batch of the run is written, {@code ledger N} right before the N-th
 * file's ledger entry (its rows all committed), {@code end} after the whole import returned.
 */
public final class ImportCrashChild {
    static final int BATCH_ROWS = 200;

    private ImportCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String point = args[1];
        int number = Integer.parseInt(args[2]);
        List<Path> files =
                List.of(args).subList(3, args.length).stream().map(Path::of).toList();
        try (DuckDbStore store = openStore(dataDir)) {
            AtomicInteger batches = new AtomicInteger();
            AtomicInteger ledgerEntries = new AtomicInteger();
            StoreWriterGate.beforeEachBatch(store, () -> {
                if (point.equals("batch") && batches.incrementAndGet() == number) {
                    holdUntilKilled();
                }
            });
            Metrics metrics = new Metrics();
            FileImporter importer = new FileImporter(
                    new IngestPipeline(store, LogFormats.builtIn(), Clock.systemUTC(), metrics),
                    Optional.empty(),
                    Optional.empty());
            importer.beforeLedgerForTesting(() -> {
                if (point.equals("ledger") && ledgerEntries.incrementAndGet() == number) {
                    holdUntilKilled();
                }
            });
            importer.importPaths(files);
            holdUntilKilled();
        }
    }

    static DuckDbStore openStore(Path dataDir) {
        StoreOptions options = StoreOptions.builder()
                .writer(new WriterConfig(BATCH_ROWS, Duration.ZERO, 10_000, Duration.ofSeconds(60)))
                .retention(RetentionPolicy.DEFAULT)
                .build();
        return DuckDbStore.open(dataDir, options, Clock.systemUTC(), new Metrics());
    }

    private static void holdUntilKilled() {
        System.out.println("HELD");
        System.out.flush();
        try {
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // never reached in the test: a child that was not killed must not finish its import
        Runtime.getRuntime().halt(3);
    }
}
