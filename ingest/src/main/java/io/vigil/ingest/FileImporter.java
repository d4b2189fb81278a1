package io.vigil.ingest;

import static java.util.Objects.requireNonNull;

import io.vigil.formats.JsonTableFormat;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

/**
 * {@code vigil import}: files and folders (recursively, so Azure's blob layouts such as
 * {@code insights-logs-<category>/resourceId=/SUBSCRIPTIONS/.../y=/m=/d=/h=/m=00/PT1H.json} work as
 * they are), {@code .gz} files decompressed, each file's format detected by content unless forced.
 * Links are not followed and the data folder is not read ({@link InputFiles}).
 *
 * <p>Exactly once per file content (and forced format or table), across crashes: a file's rows and dead
 * letters are written tagged with its import key, and the store records in each batch's own transaction
 * which of its rows carry which key; the import's ledger entry, written after its last commit, drops those
 * records in its own transaction. A file with an entry is skipped. A file without one whose key still has
 * rows recorded was interrupted (kill -9 between two batches, or after the last batch but before the
 * entry): those rows are deleted in one transaction and the file is imported again whole. Deleting and
 * redoing was chosen over skipping the rows already stored because a file's rows reach several tables,
 * writers and batches (and some are dead-lettered by the store on the way), so "the rows already stored"
 * is no simple prefix of the file, while the rows of one key are exactly identifiable.
 */
public final class FileImporter {
    private static final Logger LOG = Logger.getLogger(FileImporter.class.getName());

    /** The {@code input} label of what {@code vigil import} (and a watched folder's gzip files) stores. */
    public static final String INPUT = "file_import";

    /** Default largest file (after decompression) read whole; bigger ones are dead-lettered as oversize. */
    public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;

    private final IngestPipeline pipeline;
    private final Optional<LogFormat> forcedFormat;
    private final Optional<PrintStream> progress;
    private final long maxFileBytes;
    private final boolean followSymlinks;
    private final InputFiles inputFiles;
    private final IngestInput input = IngestInput.of(INPUT);
    private volatile Runnable beforeLedger = () -> {};

    public FileImporter(IngestPipeline pipeline, Optional<LogFormat> forcedFormat, Optional<PrintStream> progress) {
        this(pipeline, forcedFormat, progress, DEFAULT_MAX_FILE_BYTES, false);
    }

    public FileImporter(
            IngestPipeline pipeline,
            Optional<LogFormat> forcedFormat,
            Optional<PrintStream> progress,
            long maxFileBytes) {
        this(pipeline, forcedFormat, progress, maxFileBytes, false);
    }

    /**
     * @param followSymlinks whether a path given here that is a symbolic link is read through it (links
     *     found inside folders are never followed); without it such a path is refused with an error
     */
    public FileImporter(
            IngestPipeline pipeline,
            Optional<LogFormat> forcedFormat,
            Optional<PrintStream> progress,
            long maxFileBytes,
            boolean followSymlinks) {
        this.maxFileBytes = maxFileBytes;
        this.followSymlinks = followSymlinks;
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.forcedFormat = requireNonNull(forcedFormat, "forcedFormat is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.inputFiles = new InputFiles(pipeline.store().dataDir(), pipeline.metrics());
    }

    public ImportSummary importPaths(List<Path> paths) throws IOException, InterruptedException {
        long refusedBefore = inputFiles.refusals();
        List<Path> files = inputFiles.list(paths, followSymlinks, input);
        ImportSummary summary = new ImportSummary();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            showProgress(i, files.size(), file);
            importFile(file, summary);
        }
        showProgress(files.size(), files.size(), null);
        summary.refused(inputFiles.refusals() - refusedBefore);
        return summary;
    }

    private void importFile(Path file, ImportSummary summary) throws IOException, InterruptedException {
        String source = file.toString();
        // checked again right before reading: the walk is a while ago when a folder holds many files
        if (!inputFiles.admit(file, input)) {
            return;
        }
        long size = InputFiles.size(file);
        if (size > maxFileBytes) {
            // the content stays in the file and is not remembered, so a split file can be imported later
            deadLetter(
                    Optional.empty(),
                    new DeadLetter(
                            source,
                            "",
                            DeadLetterReason.OVERSIZE,
                            "file is larger than " + maxFileBytes + " bytes; split it",
                            new byte[0]),
                    summary);
            return;
        }
        byte[] content = InputFiles.read(file, 0, (int) size);
        String key = importKey(sha256(content), forcedFormat);
        if (pipeline.store().wasImported(key)) {
            summary.skipped();
            return;
        }
        long interrupted = pipeline.store().discardUnfinishedImport(key);
        if (interrupted > 0) {
            LOG.warning("an earlier import of " + source + " was interrupted; removed the " + interrupted
                    + " rows it had stored and importing the file again");
            summary.interruptedImportRemoved(interrupted);
        }
        byte[] bytes = content;
        if (isGzip(content)) {
            Optional<byte[]> inflated = gunzip(content);
            if (inflated.isEmpty()) {
                deadLetter(
                        Optional.of(key),
                        new DeadLetter(
                                source,
                                "",
                                DeadLetterReason.OVERSIZE,
                                "gzip content is corrupt or inflates beyond " + maxFileBytes + " bytes",
                                content),
                        summary);
                return;
            }
            bytes = inflated.get();
        }
        IngestResult result = pipeline.ingest(input, source, bytes, forcedFormat, key);
        beforeLedger.run();
        pipeline.store().recordImport(key, source, result.format(), result.rows(), result.deadLetters());
        summary.imported(result);
    }

    private void deadLetter(Optional<String> importKey, DeadLetter deadLetter, ImportSummary summary)
            throws InterruptedException {
        pipeline.store().deadLetter(List.of(deadLetter), importKey.orElse("")).join();
        importKey.ifPresent(key -> pipeline.store().recordImport(key, deadLetter.source(), "", 0, 1));
        summary.imported(IngestResult.deadLettered(deadLetter.reason()));
    }

    /**
     * The ledger key of a file's import: its content's SHA-256 and what forcing a format or a table changes
     * about the result, so that {@code --table Syslog} after a mistaken {@code --table Sylog} imports the file
     * again. An import that forces nothing keys on the content hash alone, as ledgers written before did.
     */
    static String importKey(String contentSha256, Optional<LogFormat> forced) {
        if (forced.isEmpty()) {
            return contentSha256;
        }
        String forcing = "format=" + forced.get().name();
        if (forced.get() instanceof JsonTableFormat tableFormat
                && tableFormat.forcedTable().isPresent()) {
            forcing += " table=" + tableFormat.forcedTable().get();
        }
        return sha256((contentSha256 + "\n" + forcing).getBytes(StandardCharsets.UTF_8));
    }

    /** Lets a test stop (and kill) the process after a file's rows committed, before its ledger entry. */
    void beforeLedgerForTesting(Runnable hook) {
        beforeLedger = requireNonNull(hook, "hook is null");
    }

    static boolean isGzip(byte[] content) {
        return content.length >= 2 && content[0] == (byte) 0x1F && content[1] == (byte) 0x8B;
    }

    /** Inflates gzip content with a cap, so a gzip bomb cannot exhaust memory. */
    private Optional<byte[]> gunzip(byte[] content) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length * 4);
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = in.read(buffer)) > 0) {
                total += read;
                if (total > maxFileBytes) {
                    return Optional.empty();
                }
                out.write(buffer, 0, read);
            }
            return Optional.of(out.toByteArray());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void showProgress(int done, int total, Path current) {
        progress.ifPresent(out -> {
            int width = 30;
            int filled = 0;
            if (total > 0) {
                filled = done * width / total;
            }
            String name = "";
            if (current != null) {
                name = current.getFileName().toString();
            }
            out.printf("\r[%s%s] %d/%d %-40.40s", "#".repeat(filled), " ".repeat(width - filled), done, total, name);
            if (current == null) {
                out.println();
            }
            out.flush();
        });
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
