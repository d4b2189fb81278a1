package io.vigil.store;

import io.vigil.metrics.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link DataFolderTest} starts under umask 022: opens a store, commits a row (so DuckDB has
 * its database file and a WAL), prints {@code COMMITTED} and waits to be killed, keeping the WAL there.
 */
public final class DataFolderChild {
    private DataFolderChild() {}

    public static void main(String[] args) throws Exception {
        try (DuckDbStore store =
                DuckDbStore.open(Path.of(args[0]), StoreOptions.DEFAULT, Clock.systemUTC(), new Metrics())) {
            store.write(List.of(store.catalog()
                            .require("Syslog")
                            .newRow()
                            .set("Computer", "private")
                            .build()))
                    .get(60, TimeUnit.SECONDS);
            System.out.println("COMMITTED");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
