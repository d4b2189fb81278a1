package io.vigil.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.vigil.catalog.TableCatalog;
import io.vigil.formats.LogFormats;
import io.vigil.formats.common.JsonRecords;
import io.vigil.generator.DemoGenerator;
import io.vigil.generator.GeneratorOptions;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code vigil bench formats}: parse throughput of every format on the demo generator's native files
 * (rows built and type-checked, nothing stored), against a baseline measured on the same bytes in the
 * same run: Jackson's tree parse for JSON inputs, UTF-8 decoding and line splitting for text inputs.
 */
public final class FormatsBenchmark {
    private static final Instant END = Instant.parse("2026-11-25T12:00:00Z");

    private final double scale;
    private final int passes;
    private final PrintStream out;

    public FormatsBenchmark(double scale, int passes, PrintStream out) {
        this.scale = scale;
        this.passes = passes;
        this.out = out;
    }

    public void run() throws IOException {
        Path dir = Files.createTempDirectory("vigil-bench-formats");
        try {
            DemoGenerator.generate(dir, new GeneratorOptions(END, 24, 42, scale));
            LogFormats formats = LogFormats.builtIn();
            Map<String, List<byte[]>> inputsByFormat = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    formats.detect(bytes)
                            .ifPresent(format -> inputsByFormat
                                    .computeIfAbsent(format.name(), ignored -> new ArrayList<>())
                                    .add(bytes));
                }
            }
            ParseContext context = ParseContext.of(TableCatalog.builtIn(), Clock.fixed(END, ZoneOffset.UTC));
            out.printf(
                    Locale.ROOT,
                    "%-26s %10s %12s %9s %14s %7s%n",
                    "format",
                    "MB",
                    "records/s",
                    "MB/s",
                    "baseline MB/s",
                    "ratio");
            for (Map.Entry<String, List<byte[]>> entry : inputsByFormat.entrySet()) {
                LogFormat format = formats.byName(entry.getKey()).orElseThrow();
                List<byte[]> inputs = entry.getValue();
                long bytes = inputs.stream().mapToLong(input -> input.length).sum();
                measure(format, inputs, context); // warm-up
                double[] formatResult = measure(format, inputs, context);
                baseline(inputs);
                double baselineSeconds = baseline(inputs);
                double megabytes = bytes / 1e6;
                out.printf(
                        Locale.ROOT,
                        "%-26s %10.1f %,12.0f %9.1f %14.1f %7.2f%n",
                        format.name(),
                        megabytes,
                        formatResult[1] / formatResult[0],
                        megabytes / formatResult[0],
                        megabytes / baselineSeconds,
                        baselineSeconds / formatResult[0]);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path path :
                        walk.sorted((left, right) -> right.compareTo(left)).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** Seconds per pass and records per pass. */
    private double[] measure(LogFormat format, List<byte[]> inputs, ParseContext context) {
        CountingSink sink = new CountingSink();
        long started = System.nanoTime();
        for (int pass = 0; pass < passes; pass++) {
            for (byte[] input : inputs) {
                format.parse("bench", input, context, sink);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9 / passes;
        return new double[] {seconds, (double) sink.records / passes};
    }

    /** Seconds per pass of the baseline over the same bytes. */
    private double baseline(List<byte[]> inputs) throws IOException {
        long started = System.nanoTime();
        long sink = 0;
        for (int pass = 0; pass < passes; pass++) {
            for (byte[] input : inputs) {
                if (input.length > 0 && (input[0] == '{' || input[0] == '[')) {
                    try (MappingIterator<JsonNode> values =
                            JsonRecords.MAPPER.readerFor(JsonNode.class).readValues(input)) {
                        while (values.hasNextValue()) {
                            sink += values.nextValue().size();
                        }
                    }
                } else {
                    sink += new String(input, StandardCharsets.UTF_8).split("\n").length;
                }
            }
        }
        if (sink < 0) {
            throw new IllegalStateException("unreachable");
        }
        return (System.nanoTime() - started) / 1e9 / passes;
    }

    private static final class CountingSink implements RecordSink {
        long records;

        @Override
        public void row(Row row) {
            records++;
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            records++;
        }
    }
}
