package io.vigil.app;

import io.vigil.app.bench.FormatsBenchmark;
import io.vigil.app.bench.IngestBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print ratios against a baseline measured in the same run.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Formats.class, QueryBenchCommand.class})
final class BenchCommand {
    @Command(
            name = "ingest",
            mixinStandardHelpOptions = true,
            description = "Durable ingest of SigninLogs-like rows through Vigil's store vs the raw DuckDB Appender;"
                    + " the last line is ratio=<vigil rate / raw rate>.")
    static final class Ingest implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "500000", description = "Rows per run. Default: ${DEFAULT-VALUE}")
        int rows;

        @Option(
                names = "--runs",
                defaultValue = "3",
                description = "Runs of each side; the median counts. Default: ${DEFAULT-VALUE}")
        int runs;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Scratch folder for the databases (default: a temporary one)")
        Path dir;

        @Override
        public Integer call() throws Exception {
            new IngestBenchmark(rows, runs, dir, System.out).run();
            return 0;
        }
    }

    @Command(
            name = "formats",
            mixinStandardHelpOptions = true,
            description = "Parse throughput of every format on generated native files, with a baseline"
                    + " (Jackson tree parse for JSON, line splitting for text) measured on the same bytes.")
    static final class Formats implements Callable<Integer> {
        @Option(
                names = "--scale",
                defaultValue = "0.5",
                description = "Generator volume scale. Default: ${DEFAULT-VALUE}")
        double scale;

        @Option(
                names = "--passes",
                defaultValue = "3",
                description = "Timed passes per format. Default: ${DEFAULT-VALUE}")
        int passes;

        @Override
        public Integer call() throws Exception {
            new FormatsBenchmark(scale, passes, System.out).run();
            return 0;
        }
    }
}
