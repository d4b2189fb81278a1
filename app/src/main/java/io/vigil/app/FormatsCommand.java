package io.vigil.app;

import io.vigil.formats.LogFormats;
import io.vigil.spi.LogFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
        name = "formats",
        mixinStandardHelpOptions = true,
        description = "List the built-in log formats: name, output tables and description.")
final class FormatsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (LogFormat format : LogFormats.builtIn().all()) {
            String tables = String.join(", ", format.outputTables());
            if (tables.isEmpty()) {
                tables = "(table from the data or --table)";
            }
            System.out.println(format.name() + "\t" + tables + "\t" + format.description());
        }
        return 0;
    }
}
