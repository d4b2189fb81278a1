package io.vigil.generator;

import static java.util.Objects.requireNonNull;

import io.vigil.generator.StorageTraffic.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a realistic, reproducible window of logs for a small Azure estate, each source in its
 * native wire or file format, with a fixed attack story inside (see docs/demo.md). The same options
 * always produce byte-identical files: all randomness derives from the seed, all times from
 * {@code end}, all text is rendered in UTC and without locale.
 */
public final class DemoGenerator {
    private DemoGenerator() {}

    public static GenerationSummary generate(Path outDir, GeneratorOptions options) throws IOException {
        requireNonNull(outDir, "outDir is null");
        requireNonNull(options, "options is null");
        Files.createDirectories(outDir);
        Output out = new Output(outDir);
        Story story = new Story(options);
        ActivityLogWriter.write(out, options, story);
        EntraWriter.write(out, options, story);
        List<Request> storage = StorageTraffic.generate(options, story);
        ResourceLogWriter.write(out, options, story, storage);
        StorageAnalyticsWriter.write(out, options, storage);
        WindowsEventWriter.write(out, options, story);
        SyslogWriter.write(out, options);
        NsgFlowWriter.write(out, options, story);
        AppInsightsWriter.write(out, options);
        AlertWriter.write(out, options, story);
        return out.summary();
    }
}
