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
        subcommands = {
            BenchCommand.Ingest.class,
            BenchCommand.Formats.class,
            QueryBenchCommand.class,
            BenchCommand.Detect.class
        })
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

    @Command(
            name = "detect",
            mixinStandardHelpOptions = true,
            description = "Latency from an event acknowledged by the Data Collector API to the stored alert of an NRT"
                    + " rule, under a background ingest load on the same API and table; the last line is"
                    + " p99_ms=<99th percentile in ms>.")
    static final class Detect implements Callable<Integer> {
        @Option(
                names = "--rate",
                defaultValue = "5000",
                description = "Background events per second (0: none). Default: ${DEFAULT-VALUE}")
        int rate;

        @Option(
                names = "--batch",
                defaultValue = "500",
                description = "Background rows per request. Default: ${DEFAULT-VALUE}")
        int batch;

        @Option(
                names = "--senders",
                defaultValue = "2",
                description = "Background sender threads. Default: ${DEFAULT-VALUE}")
        int senders;

        @Option(
                names = "--probes",
                defaultValue = "200",
                description = "Timed probe events, one at a time. Default: ${DEFAULT-VALUE}")
        int probes;

        @Option(
                names = "--warmup",
                defaultValue = "20",
                description = "Probes sent before timing starts. Default: ${DEFAULT-VALUE}")
        int warmup;

        @Override
        public Integer call() throws Exception {
            new DetectBenchmark(rate, batch, senders, probes, warmup, System.out).run();
            return 0;
        }
    }
}
