package io.vigil.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "tables",
        mixinStandardHelpOptions = true,
        description = "List every table of a workspace with its row count, one '<Table> <rows>' per line.")
final class TablesCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Override
    public Integer call() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
            runtime.store().rowCounts().forEach((table, rows) -> System.out.println(table + " " + rows));
        }
        return 0;
    }
}
