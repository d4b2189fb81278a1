package io.vigil.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A workspace's data folder holds every log, the keys and the shared key, so it is private to the user
 * Vigil runs as: folders 0700 and files 0600, whatever the process umask. Vigil creates what it writes
 * itself with these modes; files DuckDB creates (the database and its WAL) get them when the store opens,
 * after each commit and when it closes, and the folder's own 0700 mode keeps them out of reach between.
 */
public final class DataFolder {
    private static final Logger LOG = Logger.getLogger(DataFolder.class.getName());

    static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private DataFolder() {}

    /**
     * Creates the folder (mode 0700) or, when it exists, takes group and other permissions away from it
     * and everything under it (links are not followed), logging what was tightened.
     */
    public static void secure(Path dataDir) throws IOException {
        if (!Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
            createPrivateDirectories(dataDir);
            return;
        }
        if (!isPosix(dataDir)) {
            return;
        }
        long[] tightened = {0};
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (restrict(dir, FOLDER_MODE)) {
                    tightened[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                // a link's own mode means nothing, and chmod would follow it out of the folder
                if (attributes.isRegularFile() && restrict(file, FILE_MODE)) {
                    tightened[0]++;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (tightened[0] > 0) {
            LOG.warning("data folder " + dataDir + " was readable by other users: made " + tightened[0]
                    + " files and folders private to their owner (folders 0700, files 0600)");
        }
    }

    /** Creates a folder and its missing parents inside the data folder with mode 0700. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            createPrivateDirectories(dir.getParent());
        }
        if (isPosix(dir.getParent())) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
            // the umask may have removed bits we asked for, never added any; set it exactly
            Files.setPosixFilePermissions(dir, FOLDER_MODE);
        } else {
            Files.createDirectory(dir);
        }
    }

    /** Opens a new file for writing, readable by its owner only (mode 0600 from its creation on). */
    public static OutputStream newPrivateFile(Path file) throws IOException {
        FileAttribute<?>[] attributes = {};
        if (isPosix(file.getParent())) {
            attributes = new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)};
        }
        return Channels.newOutputStream(Files.newByteChannel(
                file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                attributes));
    }

    /** Takes group and other permissions away from a file DuckDB created, if it exists. */
    static void restrictIfPresent(Path file) {
        try {
            restrict(file, FILE_MODE);
        } catch (NoSuchFileException e) {
            // the WAL exists only between checkpoints
        } catch (IOException e) {
            LOG.warning("cannot make " + file + " private: " + e.getMessage());
        }
    }

    private static boolean restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return false;
        }
        Set<PosixFilePermission> current = view.readAttributes().permissions();
        if (mode.containsAll(current)) {
            return false;
        }
        // keep the owner's bits as they are (a read-only file stays read-only), drop the rest
        current.retainAll(mode);
        view.setPermissions(current);
        return true;
    }

    private static boolean isPosix(Path existing) {
        Path probe = existing;
        if (probe == null) {
            probe = Path.of("").toAbsolutePath();
        }
        return probe.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
