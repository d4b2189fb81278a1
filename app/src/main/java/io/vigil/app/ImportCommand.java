package io.vigil.app;

import io.vigil.formats.CustomTableInference;
import io.vigil.formats.JsonTableFormat;
import io.vigil.ingest.FileImporter;
import io.vigil.ingest.ImportSummary;
import io.vigil.spi.LogFormat;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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

    @Option(
            names = "--table",
            paramLabel = "TABLE",
            description = "Rows already shaped like TABLE (JSON/NDJSON); a new custom table (name ending _CL) is"
                    + " created with columns inferred from the first file")
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

    private Optional<LogFormat> forcedFormat(VigilRuntime runtime) throws IOException {
        if (table != null) {
            String target = table;
            if (table.endsWith("_CL")) {
                Optional<TableSchema> existing = runtime.store().catalog().tableIgnoringCase(table);
                if (existing.isPresent()) {
                    // custom table names are case-insensitive: another casing writes the existing table
                    target = existing.get().name();
                } else {
                    TableSchema inferred = CustomTableInference.infer(table, Files.readAllBytes(firstFile()));
                    TableSchema created = runtime.store().ensureCustomTable(inferred);
                    System.err.println("created custom table " + table + " with " + created.columnCount() + " columns");
                }
            }
            return Optional.of(JsonTableFormat.forTable(target));
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

    private Path firstFile() throws IOException {
        for (Path path : paths) {
            if (Files.isRegularFile(path)) {
                return path;
            }
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    Optional<Path> first =
                            walk.filter(Files::isRegularFile).sorted().findFirst();
                    if (first.isPresent()) {
                        return first.get();
                    }
                }
            }
        }
        throw new VigilException(
                StandardErrorCode.INVALID_ARGUMENT, "no file to infer the columns of " + table + " from");
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
