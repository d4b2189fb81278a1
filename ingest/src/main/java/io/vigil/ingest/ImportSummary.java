package io.vigil.ingest;

import java.util.SortedMap;
import java.util.TreeMap;

/** Totals of an import run: files by outcome, rows per table, dead letters and repairs per reason. */
public final class ImportSummary {
    private long filesImported;
    private long filesSkipped;
    private long filesRefused;
    private long rowsOfInterruptedImports;
    private final SortedMap<String, Long> rowsByTable = new TreeMap<>();
    private final SortedMap<String, Long> deadLettersByReason = new TreeMap<>();
    private final SortedMap<String, Long> repairsByReason = new TreeMap<>();
    private final SortedMap<String, Long> filesByFormat = new TreeMap<>();

    void imported(IngestResult result) {
        filesImported++;
        String format = result.format();
        if (format.isEmpty()) {
            format = "(unknown)";
        }
        filesByFormat.merge(format, 1L, Long::sum);
        result.rowsByTable().forEach((table, rows) -> rowsByTable.merge(table, rows, Long::sum));
        result.deadLettersByReason().forEach((reason, count) -> deadLettersByReason.merge(reason, count, Long::sum));
        result.repairsByReason().forEach((reason, count) -> repairsByReason.merge(reason, count, Long::sum));
    }

    void skipped() {
        filesSkipped++;
    }

    void refused(long files) {
        filesRefused += files;
    }

    void interruptedImportRemoved(long rows) {
        rowsOfInterruptedImports += rows;
    }

    /** Files not read: links, or files of the workspace itself (see {@link InputFiles}). */
    public long filesRefused() {
        return filesRefused;
    }

    /** Rows an earlier, interrupted import of the same files had stored, removed before importing them again. */
    public long rowsOfInterruptedImports() {
        return rowsOfInterruptedImports;
    }

    public long filesImported() {
        return filesImported;
    }

    public long filesSkipped() {
        return filesSkipped;
    }

    public SortedMap<String, Long> rowsByTable() {
        return new TreeMap<>(rowsByTable);
    }

    public SortedMap<String, Long> deadLettersByReason() {
        return new TreeMap<>(deadLettersByReason);
    }

    public SortedMap<String, Long> repairsByReason() {
        return new TreeMap<>(repairsByReason);
    }

    public SortedMap<String, Long> filesByFormat() {
        return new TreeMap<>(filesByFormat);
    }

    public long rows() {
        return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }

    public long deadLetters() {
        return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The summary as the CLI prints it: a line per table, then per format, dead-letter reason and repair. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("files: ")
                .append(filesImported)
                .append(" imported, ")
                .append(filesSkipped)
                .append(" skipped (already imported)");
        if (filesRefused > 0) {
            out.append(", ")
                    .append(filesRefused)
                    .append(" refused (links or the data folder's own files; see the log)");
        }
        out.append('\n');
        if (rowsOfInterruptedImports > 0) {
            out.append("interrupted earlier: ")
                    .append(rowsOfInterruptedImports)
                    .append(" rows stored then were removed and imported again\n");
        }
        filesByFormat.forEach((format, count) -> out.append("  format ")
                .append(format)
                .append(": ")
                .append(count)
                .append(" files\n"));
        out.append("rows: ").append(rows()).append('\n');
        rowsByTable.forEach((table, count) ->
                out.append("  ").append(table).append(": ").append(count).append('\n'));
        out.append("dead letters: ").append(deadLetters()).append('\n');
        deadLettersByReason.forEach((reason, count) ->
                out.append("  ").append(reason).append(": ").append(count).append('\n'));
        if (!repairsByReason.isEmpty()) {
            out.append("repairs:\n");
            repairsByReason.forEach((reason, count) ->
                    out.append("  ").append(reason).append(": ").append(count).append('\n'));
        }
        return out.toString();
    }
}
