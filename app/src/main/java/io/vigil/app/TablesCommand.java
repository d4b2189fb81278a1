package io.vigil.app;

import io.vigil.spi.TableSchema;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "tables",
        mixinStandardHelpOptions = true,
        description = "List the tables of a workspace that were ever written, with their row counts, one"
                + " '<Table> <rows>' per line; --all lists every table the workspace knows (the whole Azure Monitor"
                + " table reference), never-written ones with 0.")
final class TablesCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Option(names = "--all", description = "Also list the tables never written (they exist for queries and are empty).")
    boolean all;

    @Override
    public Integer call() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
            Map<String, Long> counts = new TreeMap<>(runtime.store().rowCounts());
            if (all) {
                for (TableSchema table : runtime.store().tables()) {
                    counts.putIfAbsent(table.name(), 0L);
                }
            }
            counts.forEach((table, rows) -> System.out.println(table + " " + rows));
        }
        return 0;
    }
}
