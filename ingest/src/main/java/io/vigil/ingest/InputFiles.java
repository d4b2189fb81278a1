package io.vigil.ingest;

import static java.util.Objects.requireNonNull;

import io.vigil.metrics.Metrics;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Which local files {@code vigil import} and watched folders may read. Anyone who can write into a
 * watched folder (a blob-sync target, a shared mount) could plant a symbolic link to any file the server
 * can read, say the admin key, and have it stored as a dead letter that every reader key can query. So
 * links are never followed: a folder walk does not descend into linked folders, a linked file is refused,
 * files are opened without following a link at their last step, and nothing of the workspace's own state
 * (the data folder, but for the demo's generated logs) is read even when named directly. Each refusal is
 * counted in {@code files_refused_total{input,reason}} ({@code symlink}, {@code data_folder}) and logged
 * once per path.
 *
 * <p>Left open: a writer who swaps a folder on the path for a link between the check and the open; the
 * folder's real path is checked right before each read, which narrows that window.
 */
public final class InputFiles {
    private static final Logger LOG = Logger.getLogger(InputFiles.class.getName());

    /** The folder of the data folder that holds input ({@code vigil demo}'s generated day), not state. */
    public static final String DEMO_LOGS = "demo-logs";

    public static final String SYMLINK = "symlink";
    public static final String DATA_FOLDER = "data_folder";

    private final Path dataDir;
    private final Metrics metrics;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final LongAdder refusals = new LongAdder();

    public InputFiles(Path dataDir, Metrics metrics) {
        this.dataDir = realOrAbsolute(requireNonNull(dataDir, "dataDir is null"));
        this.metrics = requireNonNull(metrics, "metrics is null");
        metrics.describe("files_refused_total", "Files an import or a watched folder refused to read, per reason");
    }

    /**
     * The files of {@code vigil import PATH…}: each path a file or a folder (walked as {@link #walk} does).
     * A path that is a link is an error unless {@code followSymlinks}, and so is a path in the data folder.
     */
    public List<Path> list(List<Path> paths, boolean followSymlinks, IngestInput input) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path named : paths) {
            Path path = named;
            if (Files.isSymbolicLink(path)) {
                if (!followSymlinks) {
                    throw new VigilException(
                            StandardErrorCode.INVALID_ARGUMENT,
                            path + " is a symbolic link; vigil import does not follow links"
                                    + " (--follow-symlinks reads what it points to)");
                }
                path = path.toRealPath();
            }
            if (inDataFolder(path)) {
                throw new VigilException(
                        StandardErrorCode.INVALID_ARGUMENT,
                        path + " is inside the data folder " + dataDir + "; the workspace's own files are never read");
            }
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                files.addAll(walk(path, input));
            } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                files.add(path);
            } else {
                throw new IOException("no such file or folder: " + path);
            }
        }
        return files;
    }

    /**
     * The regular files under a folder, recursively, in path order; dot files are skipped, links and the
     * workspace's own files refused.
     */
    public List<Path> walk(Path folder, IngestInput input) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(folder) && dir.getFileName().toString().startsWith(".")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (inDataFolder(dir)) {
                    refuse(dir, input, DATA_FOLDER);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (file.getFileName().toString().startsWith(".")) {
                    return FileVisitResult.CONTINUE;
                }
                // without FOLLOW_LINKS a link, to a file or to a folder, is visited as the link itself
                if (attributes.isSymbolicLink()) {
                    refuse(file, input, SYMLINK);
                } else if (attributes.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        return files;
    }

    /** Whether a file may be read; counts and logs the refusal when not. */
    public boolean admit(Path file, IngestInput input) {
        if (Files.isSymbolicLink(file)) {
            refuse(file, input, SYMLINK);
            return false;
        }
        if (inDataFolder(file)) {
            refuse(file, input, DATA_FOLDER);
            return false;
        }
        return true;
    }

    /** Whether a path (by its real path, links resolved) is the workspace's state. */
    public boolean inDataFolder(Path path) {
        Path real = realOrAbsolute(path);
        return real.startsWith(dataDir) && !real.startsWith(dataDir.resolve(DEMO_LOGS));
    }

    /** Up to {@code length} bytes from {@code offset}, refusing a file that is (or became) a link. */
    public static byte[] read(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = open(file)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(length, channel.size() - offset)));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    break;
                }
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /** Opens for reading with O_NOFOLLOW: a link put in the file's place after the walk fails to open. */
    public static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** The size of a file itself, not of what a link points to. */
    public static long size(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .size();
    }

    /** Refusals so far, over all inputs and reasons. */
    public long refusals() {
        return refusals.sum();
    }

    private void refuse(Path path, IngestInput input, String reason) {
        refusals.increment();
        metrics.counter("files_refused_total", input.labels("reason", reason)).increment();
        if (warned.add(reason + ":" + path.toAbsolutePath())) {
            String why = "it is a symbolic link (links are not followed)";
            if (reason.equals(DATA_FOLDER)) {
                why = "it is inside the data folder " + dataDir + " (the workspace's own files are never read)";
            }
            LOG.warning("refused to read " + path + ": " + why);
        }
    }

    private static Path realOrAbsolute(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            // a dangling link or a folder not created yet: its lexical form is all there is
            return path.toAbsolutePath().normalize();
        }
    }
}
