package io.vigil.ingest.watch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.ingest.FileImporter;
import io.vigil.ingest.IngestInput;
import io.vigil.ingest.IngestPipeline;
import io.vigil.ingest.IngestResult;
import io.vigil.ingest.InputFiles;
import io.vigil.ingest.watch.WatchLedger.FileProgress;
import io.vigil.ingest.watch.WatchLedger.WatchMode;
import io.vigil.metrics.Metrics;
import io.vigil.spi.LogFormat;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code --watch DIR}: follows folders (recursively, dot files skipped) as Azure or a sync tool writes
 * into them, and stores what is new. Polls every {@link #DEFAULT_INTERVAL}: {@code WatchService} is not
 * recursive, misses changes on network and FUSE file systems (blobfuse), and coalesces appends anyway.
 *
 * <p>The rule per file, decided by its first bytes when first seen:
 *
 * <ul>
 *   <li><b>Line files</b> (everything else: NDJSON such as blob-layout {@code PT1H.json}, which Azure
 *       appends one record per line during the hour, syslog, Storage Analytics): the bytes up to the last
 *       newline not yet stored are ingested; the offset after them is remembered. A trailing line without
 *       its newline waits for it. The format chosen for the file's first part is reused for appended parts.
 *   <li><b>Record documents</b> (starting with {@code {"records":[}): when the file's size changed and it
 *       parses as a complete document, the records beyond the count already stored are ingested as a new
 *       {@code {"records":[…]}} document of their raw bytes, with the {@code azure_resource_log} format
 *       (which picks the table per record by its category); a document still being written waits.
 *   <li><b>gzip files</b>: once their size is stable between two scans, imported whole like {@code vigil
 *       import}, skipped when the content-hash ledger knows them.
 * </ul>
 *
 * Links are not followed and nothing of the data folder is read ({@link InputFiles}): a link planted in a
 * watched folder is refused, counted and logged, never read.
 *
 * <p>A file that shrank or whose first bytes changed was replaced and is read again from its start. Progress
 * is written to the workspace's watch ledger after the store committed, so a restart resumes; a crash
 * between the two stores that part again (at least once).
 */
public final class FolderWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FolderWatcher.class.getName());

    public static final String INPUT = "watch";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    /** Bytes of a file's start hashed to notice that it was replaced. */
    static final int HEAD_BYTES = 4096;

    /** The largest part read at once; bigger appends are taken over several scans. */
    static final int MAX_PART_BYTES = 64 * 1024 * 1024;

    /** The format of diagnostic-settings exports, dispatching each record by its category. */
    static final String RECORDS_FORMAT = "azure_resource_log";

    private static final Pattern RECORDS_DOCUMENT = Pattern.compile("^\\s*\\{\\s*\"records\"\\s*:\\s*\\[");
    private static final JsonFactory JSON = new JsonFactory();

    private final List<Path> folders;
    private final Duration interval;
    private final IngestPipeline pipeline;
    private final WatchLedger ledger;
    private final FileImporter wholeFiles;
    private final InputFiles inputFiles;
    private final Metrics metrics;
    private final Map<Path, Long> sizeAtLastScan = new HashMap<>();
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean running = true;

    public FolderWatcher(List<Path> folders, Duration interval, IngestPipeline pipeline, Clock clock, Metrics metrics) {
        this.folders = List.copyOf(requireNonNull(folders, "folders is null"));
        this.interval = requireNonNull(interval, "interval is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        if (this.folders.isEmpty()) {
            throw new VigilException(StandardErrorCode.INVALID_CONFIGURATION, "--watch needs a folder");
        }
        for (Path folder : this.folders) {
            if (!Files.isDirectory(folder)) {
                throw new VigilException(StandardErrorCode.INVALID_CONFIGURATION, "--watch: no such folder: " + folder);
            }
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new VigilException(StandardErrorCode.INVALID_CONFIGURATION, "watch interval must be positive");
        }
        this.ledger = new WatchLedger(pipeline.store(), requireNonNull(clock, "clock is null"));
        this.wholeFiles = new FileImporter(pipeline, Optional.empty(), Optional.empty());
        this.inputFiles = new InputFiles(pipeline.store().dataDir(), metrics);
        for (Path folder : this.folders) {
            if (inputFiles.inDataFolder(folder)) {
                throw new VigilException(
                        StandardErrorCode.INVALID_CONFIGURATION,
                        "--watch: " + folder + " is inside the data folder, whose files are never read");
            }
        }
        metrics.describe("watch_scans_total", "Scans of the watched folders");
        metrics.describe("watch_parts_imported_total", "New parts of watched files stored, per mode");
        metrics.describe("watch_bytes_behind", "Bytes of a watched folder's files not stored yet, at the last scan");
        this.thread = Thread.ofPlatform().name("vigil-watch").unstarted(this::run);
    }

    /** Starts scanning on a thread of its own: at once, then every interval. */
    public FolderWatcher start() {
        thread.start();
        return this;
    }

    public List<Path> folders() {
        return folders;
    }

    private void run() {
        while (running) {
            try {
                scanOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                // the next scan tries again from the stored progress
                LOG.log(Level.WARNING, "watch scan failed; retrying in " + interval, e);
            }
            try {
                // close() ends the wait; it never interrupts a scan, whose ingest must reach its ledger entry
                if (stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One pass over every watched folder: stores what is new in each file, in path order. */
    public void scanOnce() throws IOException, InterruptedException {
        metrics.counter("watch_scans_total", "input", INPUT).increment();
        for (Path folder : folders) {
            IngestInput input = new IngestInput(INPUT, folder.toString());
            List<Path> files = inputFiles.walk(folder, input);
            for (Path file : files) {
                if (!running) {
                    return;
                }
                scanFile(input, file);
            }
            metrics.gauge("watch_bytes_behind", input.labels()).set(bytesBehind(files));
        }
    }

    /** What the ledger has not stored yet of these files, as they are now (a file that vanished counts 0). */
    private long bytesBehind(List<Path> files) throws IOException {
        long behind = 0;
        for (Path file : files) {
            long size;
            try {
                size = InputFiles.size(file);
            } catch (NoSuchFileException e) {
                continue;
            }
            long stored = ledger.progress(file.toAbsolutePath().normalize().toString())
                    .map(FileProgress::importedBytes)
                    .orElse(0L);
            behind += Math.max(0, size - stored);
        }
        return behind;
    }

    private void scanFile(IngestInput input, Path file) throws IOException, InterruptedException {
        String path = file.toAbsolutePath().normalize().toString();
        long size = InputFiles.size(file);
        Long previousSize = sizeAtLastScan.put(file, size);
        Optional<FileProgress> stored = ledger.progress(path);
        if (stored.isPresent() && size == stored.get().importedBytes()) {
            return;
        }
        // the walk may be a while ago: a file replaced by a link since is refused here, or fails to open
        if (!inputFiles.admit(file, input)) {
            return;
        }
        if (stored.isPresent() && replaced(file, size, stored.get())) {
            LOG.warning("watched file " + path + " was replaced or truncated; reading it from its start");
            stored = Optional.empty();
        }
        WatchMode mode;
        if (stored.isPresent()) {
            mode = stored.get().mode();
        } else {
            mode = modeOf(file);
        }
        switch (mode) {
            case LINES -> importLines(input, file, path, size, stored);
            case RECORDS -> importRecords(input, file, path, size, stored);
            case WHOLE -> {
                // a gzip file is complete only when its writer is done: wait for a stable size
                if (previousSize != null && previousSize == size) {
                    wholeFiles.importPaths(List.of(file));
                    ledger.record(path, new FileProgress(WatchMode.WHOLE, "", size, 0, headFingerprint(file, size)));
                    metrics.counter("watch_parts_imported_total", "input", INPUT, "mode", "whole")
                            .increment();
                }
            }
        }
    }

    private static WatchMode modeOf(Path file) throws IOException {
        byte[] head = read(file, 0, 64);
        if (head.length >= 2 && head[0] == (byte) 0x1F && head[1] == (byte) 0x8B) {
            return WatchMode.WHOLE;
        }
        if (RECORDS_DOCUMENT.matcher(new String(head, StandardCharsets.UTF_8)).find()) {
            return WatchMode.RECORDS;
        }
        return WatchMode.LINES;
    }

    private static boolean replaced(Path file, long size, FileProgress stored) throws IOException {
        if (stored.mode() == WatchMode.LINES && size < stored.importedBytes()) {
            return true;
        }
        String fingerprint = stored.headSha256();
        long length = Long.parseLong(fingerprint.substring(0, fingerprint.indexOf(':')));
        return size < length || !headFingerprint(file, length).equals(fingerprint);
    }

    private void importLines(IngestInput input, Path file, String path, long size, Optional<FileProgress> stored)
            throws IOException, InterruptedException {
        long offset = stored.map(FileProgress::importedBytes).orElse(0L);
        byte[] part = read(file, offset, (int) Math.min(size - offset, MAX_PART_BYTES));
        int end = lastNewline(part) + 1;
        if (end == 0) {
            return;
        }
        byte[] lines = part;
        if (end < part.length) {
            lines = Arrays.copyOf(part, end);
        }
        Optional<LogFormat> format = stored.map(FileProgress::format)
                .filter(name -> !name.isEmpty())
                .flatMap(name -> pipeline.formats().byName(name));
        IngestResult result = pipeline.ingest(input, path + "@" + offset, lines, format);
        long imported = offset + end;
        ledger.record(
                path, new FileProgress(WatchMode.LINES, result.format(), imported, 0, headFingerprint(file, imported)));
        metrics.counter("watch_parts_imported_total", "input", INPUT, "mode", "lines")
                .increment();
    }

    private void importRecords(IngestInput input, Path file, String path, long size, Optional<FileProgress> stored)
            throws IOException, InterruptedException {
        if (size > MAX_PART_BYTES) {
            // far beyond an hour of one resource's logs: leave it to vigil import, which dead-letters it
            LOG.warning("watched document " + path + " is larger than " + MAX_PART_BYTES + " bytes; skipped");
            ledger.record(path, new FileProgress(WatchMode.RECORDS, "", size, 0, headFingerprint(file, 0)));
            return;
        }
        byte[] content = read(file, 0, (int) size);
        Optional<List<int[]>> records = recordSpans(content);
        if (records.isEmpty()) {
            // still being written; a later scan sees it complete
            return;
        }
        long done = stored.map(FileProgress::importedRecords).orElse(0L);
        if (done > records.get().size()) {
            LOG.warning("watched document " + path + " has fewer records than were stored; reading it from its start");
            done = 0;
        }
        List<int[]> fresh = records.get()
                .subList(
                        (int) Math.min(done, records.get().size()),
                        records.get().size());
        String format = stored.map(FileProgress::format).orElse("");
        if (!fresh.isEmpty()) {
            ByteArrayOutputStream document = new ByteArrayOutputStream(content.length);
            document.writeBytes("{\"records\":[".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < fresh.size(); i++) {
                if (i > 0) {
                    document.write(',');
                }
                document.write(content, fresh.get(i)[0], fresh.get(i)[1] - fresh.get(i)[0]);
            }
            document.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
            IngestResult result = pipeline.ingest(
                    input,
                    path + "#" + done,
                    document.toByteArray(),
                    pipeline.formats().byName(RECORDS_FORMAT));
            format = result.format();
            metrics.counter("watch_parts_imported_total", "input", INPUT, "mode", "records")
                    .increment();
        }
        // the fingerprint covers the document up to its first record, which appending records leaves alone
        long stable = 0;
        if (!records.get().isEmpty()) {
            stable = records.get().get(0)[1];
        }
        ledger.record(
                path,
                new FileProgress(WatchMode.RECORDS, format, size, records.get().size(), headFingerprint(file, stable)));
    }

    /** Byte spans of the elements of a complete document's top-level {@code records} array. */
    static Optional<List<int[]>> recordSpans(byte[] content) {
        try (JsonParser parser = JSON.createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            List<int[]> spans = new ArrayList<>();
            boolean sawRecords = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("records") && value == JsonToken.START_ARRAY && !sawRecords) {
                    sawRecords = true;
                    JsonToken element;
                    while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                        if (element == null) {
                            return Optional.empty();
                        }
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        parser.skipChildren();
                        spans.add(
                                new int[] {start, (int) parser.currentLocation().getByteOffset()});
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || !sawRecords) {
                return Optional.empty();
            }
            return Optional.of(spans);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] read(Path file, long offset, int length) throws IOException {
        return InputFiles.read(file, offset, length);
    }

    /** {@code length:sha256} of the file's first bytes, at most {@link #HEAD_BYTES} of the stored part. */
    private static String headFingerprint(Path file, long stored) throws IOException {
        byte[] head = read(file, 0, (int) Math.min(stored, HEAD_BYTES));
        try {
            return head.length + ":"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(head));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Stops after the file in progress is stored (its ledger entry written). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        stop.countDown();
        if (thread.isAlive()) {
            thread.join(Duration.ofSeconds(60));
        }
    }
}
