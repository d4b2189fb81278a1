package io.vigil.app;

import io.vigil.generator.DemoGenerator;
import io.vigil.generator.GenerationSummary;
import io.vigil.generator.GeneratorOptions;
import io.vigil.ingest.ImportSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Generate a day of demo logs with an attack story, load it, and run the server.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "HTTP port (0 picks a free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String bind;

    @Option(names = "--load-only", description = "Load the demo data, print the tables, and exit")
    boolean loadOnly;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed of the generated day. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
            names = "--scale",
            defaultValue = "1.0",
            description = "Multiplier of background volume. Default: ${DEFAULT-VALUE}")
    double scale;

    @Override
    public Integer call() throws Exception {
        Path logs = data.dataDir.resolve("demo-logs");
        try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
            if (!Files.isDirectory(logs)) {
                GeneratorOptions options = new GeneratorOptions(
                        GenerateCommand.defaultEnd(Clock.systemUTC()), GeneratorOptions.DEFAULT_HOURS, seed, scale);
                GenerationSummary generated = DemoGenerator.generate(logs, options);
                GenerateCommand.print(generated, logs);
            } else {
                System.out.println("demo logs already generated in " + logs + " (delete the folder for a fresh day)");
            }
            ImportSummary summary =
                    ImportCommand.importPaths(runtime, List.of(logs), Optional.empty(), System.console() != null);
            System.out.print(summary.render());
            System.out.println("tables:");
            runtime.store().rowCounts().forEach((table, rows) -> {
                if (rows > 0) {
                    System.out.println("  " + table + " " + rows);
                }
            });
            if (loadOnly) {
                return 0;
            }
            System.out.println();
            System.out.println("KQL queries to try once the query API is in (see README, 'Status'):");
            System.out.println(
                    "  SigninLogs | where ResultType == \"50126\" | summarize Failures = count() by IPAddress | top 5 by Failures");
            System.out.println("  AzureActivity | where OperationNameValue has \"roleAssignments/write\"");
            System.out.println("  SecurityEvent | where EventID in (4697, 7045) or Activity has \"service\"");
            ServerCommand.serve(runtime, bind, port);
        }
        return 0;
    }
}
