package io.vigil.app;

import io.vigil.generator.DemoGenerator;
import io.vigil.generator.GenerationSummary;
import io.vigil.generator.GeneratorOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Write a realistic, seeded day of native-format Azure and OS logs with an attack story (see docs/demo.md).")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write the logs into")
    Path out;

    @Option(
            names = "--hours",
            defaultValue = "24",
            description = "Length of the window, ending at --end. Default: ${DEFAULT-VALUE}")
    int hours;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed; the same seed and --end give the same bytes. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
            names = "--scale",
            defaultValue = "1.0",
            description = "Multiplier of background volume. Default: ${DEFAULT-VALUE}")
    double scale;

    @Option(
            names = "--end",
            paramLabel = "INSTANT",
            description = "End of the window (ISO-8601); default: the current hour")
    Instant end;

    @Override
    public Integer call() throws Exception {
        Instant windowEnd = end;
        if (windowEnd == null) {
            windowEnd = defaultEnd(Clock.systemUTC());
        }
        GenerationSummary summary = DemoGenerator.generate(out, new GeneratorOptions(windowEnd, hours, seed, scale));
        print(summary, out);
        return 0;
    }

    /** The start of the current hour, so the generated day ends just now and ago(1d) finds it. */
    static Instant defaultEnd(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.HOURS);
    }

    static void print(GenerationSummary summary, Path out) {
        System.out.println("generated " + summary.totalEvents() + " events in "
                + summary.files().size() + " files under " + out);
        summary.eventsByKind().forEach((kind, count) -> System.out.println("  " + kind + ": " + count));
    }
}
