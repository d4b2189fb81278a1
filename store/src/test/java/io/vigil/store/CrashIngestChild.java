package io.vigil.store;

import io.vigil.metrics.Metrics;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link CrashTest} kills: ingests numbered Syslog rows in batches of varying size as
 * fast as it can, several in flight, and prints {@code ACK <first> <last>} for each batch once its
 * future completed (that is, once the store says it is committed).
 */
public final class CrashIngestChild {
    private CrashIngestChild() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, Clock.systemUTC(), new Metrics())) {
            TableSchema syslog = store.catalog().require("Syslog");
            List<long[]> ranges = new ArrayList<>();
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            long next = 0;
            Instant now = Instant.now();
            for (int batch = 0; batch < 1_000_000; batch++) {
                int size = 1 + (batch * 37) % 500;
                List<Row> rows = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    rows.add(syslog.newRow()
                            .set("TimeGenerated", now)
                            .set("SyslogMessage", "event " + (next + i))
                            .set("ProcessID", 1)
                            .set("EventTime", now)
                            .set("Computer", Long.toString(next + i))
                            .build());
                }
                ranges.add(new long[] {next, next + size - 1});
                inFlight.add(store.write(rows));
                next += size;
                while (inFlight.size() > 8
                        || (!inFlight.isEmpty() && inFlight.getFirst().isDone())) {
                    inFlight.getFirst().get(60, TimeUnit.SECONDS);
                    long[] range = ranges.removeFirst();
                    inFlight.removeFirst();
                    System.out.println("ACK " + range[0] + " " + range[1]);
                    System.out.flush();
                }
            }
        }
    }
}
