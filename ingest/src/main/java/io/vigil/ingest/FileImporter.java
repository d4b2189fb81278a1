package io.vigil.ingest;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * {@code vigil import}: files and folders (recursively, so Azure's blob layouts such as
 * {@code insights-logs-<category>/resourceId=/SUBSCRIPTIONS/.../y=/m=/d=/h=/m=00/PT1H.json} work as
 * they are), {@code .gz} files decompressed, each file's format detected by content unless forced.
 * A file whose content was imported before is skipped, so importing twice adds nothing.
 */
public final class FileImporter {
    /** Default largest file (after decompression) read whole; bigger ones are dead-lettered as oversize. */
    public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;

    private final IngestPipeline pipeline;
    private final Optional<LogFormat> forcedFormat;
    private final Optional<PrintStream> progress;
    private final long maxFileBytes;

    public FileImporter(IngestPipeline pipeline, Optional<LogFormat> forcedFormat, Optional<PrintStream> progress) {
        this(pipeline, forcedFormat, progress, DEFAULT_MAX_FILE_BYTES);
    }

    public FileImporter(
            IngestPipeline pipeline,
            Optional<LogFormat> forcedFormat,
            Optional<PrintStream> progress,
            long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.forcedFormat = requireNonNull(forcedFormat, "forcedFormat is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public ImportSummary importPaths(List<Path> paths) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile)
                            .filter(file -> !file.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new IOException("no such file or folder: " + path);
            }
        }
        ImportSummary summary = new ImportSummary();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            showProgress(i, files.size(), file);
            importFile(file, summary);
        }
        showProgress(files.size(), files.size(), null);
        return summary;
    }

    private void importFile(Path file, ImportSummary summary) throws IOException, InterruptedException {
        String source = file.toString();
        if (Files.size(file) > maxFileBytes) {
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
        byte[] content = Files.readAllBytes(file);
        String sha256 = sha256(content);
        if (pipeline.store().wasImported(sha256)) {
            summary.skipped();
            return;
        }
        byte[] input = content;
        if (isGzip(content)) {
            Optional<byte[]> inflated = gunzip(content);
            if (inflated.isEmpty()) {
                deadLetter(
                        Optional.of(sha256),
                        new DeadLetter(
                                source,
                                "",
                                DeadLetterReason.OVERSIZE,
                                "gzip content is corrupt or inflates beyond " + maxFileBytes + " bytes",
                                content),
                        summary);
                return;
            }
            input = inflated.get();
        }
        IngestResult result = pipeline.ingest("file_import", source, input, forcedFormat);
        pipeline.store().recordImport(sha256, source, result.format(), result.rows(), result.deadLetters());
        summary.imported(result);
    }

    private void deadLetter(Optional<String> sha256, DeadLetter deadLetter, ImportSummary summary)
            throws InterruptedException {
        pipeline.store().deadLetter(List.of(deadLetter)).join();
        sha256.ifPresent(hash -> pipeline.store().recordImport(hash, deadLetter.source(), "", 0, 1));
        summary.imported(IngestResult.deadLettered(deadLetter.reason()));
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
