package io.vigil.app;

import io.vigil.formats.CustomTableInference;
import io.vigil.formats.JsonTableFormat;
import io.vigil.ingest.FileImporter;
import io.vigil.ingest.ImportSummary;
import io.vigil.ingest.IngestInput;
import io.vigil.ingest.InputFiles;
import io.vigil.spi.LogFormat;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import java.io.IOException;
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

    @Option(
            names = "--table",
            paramLabel = "TABLE",
            description = "Rows already shaped like TABLE (JSON/NDJSON); a new custom table (name ending _CL) is"
                    + " created with columns inferred from the first file")
    String table;

    @Option(
            names = "--follow-symlinks",
            description = "Read a PATH that is a symbolic link through it (links inside folders are never followed;"
                    + " nothing in the data folder is read)")
    boolean followSymlinks;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or folders to import")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
            ImportSummary summary =
                    importPaths(runtime, paths, forcedFormat(runtime), followSymlinks, System.console() != null);
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
                    Path first = firstFile(runtime);
                    TableSchema inferred =
                            CustomTableInference.infer(table, InputFiles.read(first, 0, (int) InputFiles.size(first)));
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

    /** The file the columns of a new custom table are inferred from: the first the import reads. */
    private Path firstFile(VigilRuntime runtime) throws IOException {
        List<Path> files = new InputFiles(runtime.store().dataDir(), runtime.metrics())
                .list(paths, followSymlinks, IngestInput.of(FileImporter.INPUT));
        if (!files.isEmpty()) {
            return files.getFirst();
        }
        throw new VigilException(
                StandardErrorCode.INVALID_ARGUMENT, "no file to infer the columns of " + table + " from");
    }

    static ImportSummary importPaths(
            VigilRuntime runtime,
            List<Path> paths,
            Optional<LogFormat> format,
            boolean followSymlinks,
            boolean showProgress)
            throws Exception {
        Optional<PrintStream> progress = Optional.empty();
        if (showProgress) {
            progress = Optional.of(System.err);
        }
        return new FileImporter(
                        runtime.pipeline(), format, progress, FileImporter.DEFAULT_MAX_FILE_BYTES, followSymlinks)
                .importPaths(paths);
    }
}
