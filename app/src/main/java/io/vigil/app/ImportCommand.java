package io.vigil.app;

import io.vigil.formats.JsonTableFormat;
import io.vigil.ingest.FileImporter;
import io.vigil.ingest.ImportSummary;
import io.vigil.spi.LogFormat;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description =
                "Import log files or folders (blob layouts, .gz) into a workspace; the format is detected by content.")
final class ImportCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Option(names = "--format", paramLabel = "NAME", description = "Force a format instead of detecting it")
    String format;

    @Option(names = "--table", paramLabel = "TABLE", description = "Rows already shaped like TABLE (json_table format)")
    String table;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or folders to import")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
            ImportSummary summary = importPaths(runtime, paths, forcedFormat(runtime), System.console() != null);
            System.out.print(summary.render());
            return 0;
        }
    }

    private Optional<LogFormat> forcedFormat(VigilRuntime runtime) {
        if (table != null) {
            return Optional.of(JsonTableFormat.forTable(table));
        }
        if (format == null) {
            return Optional.empty();
        }
        return Optional.of(runtime.pipeline()
                .formats()
                .byName(format)
                .orElseThrow(() -> new VigilException(
                        StandardErrorCode.INVALID_ARGUMENT,
                        "unknown format " + format + "; known: "
                                + runtime.pipeline().formats().all().stream()
                                        .map(LogFormat::name)
                                        .toList())));
    }

    static ImportSummary importPaths(
            VigilRuntime runtime, List<Path> paths, Optional<LogFormat> format, boolean showProgress) throws Exception {
        Optional<PrintStream> progress = Optional.empty();
        if (showProgress) {
            progress = Optional.of(System.err);
        }
        return new FileImporter(runtime.pipeline(), format, progress).importPaths(paths);
    }
}
