package io.vigil.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {
    @TempDir
    Path temp;

    @Test
    void storeUnderUmask022KeepsTheFolderAndDuckDbFilesPrivate() throws Exception {
        Path fresh = temp.resolve("fresh");
        Process child = startUnderUmask022(fresh);
        try {
            awaitCommitted(child);
            assertThat(mode(fresh)).isEqualTo("rwx------");
            assertThat(mode(fresh.resolve("staging"))).isEqualTo("rwx------");
            assertThat(mode(fresh.resolve(DuckDbStore.DATABASE_FILE))).isEqualTo("rw-------");
            Path wal = fresh.resolve(DuckDbStore.DATABASE_FILE + ".wal");
            assertThat(wal)
                    .as("the committed row is in the WAL until a checkpoint")
                    .exists();
            assertThat(mode(wal)).isEqualTo("rw-------");
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anExistingReadableFolderIsTightenedAtStartWithoutFollowingLinks() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data.resolve("dcrs"));
        Files.writeString(data.resolve("dcrs/rule.json"), "{}", UTF_8);
        Path outside = Files.writeString(temp.resolve("outside.txt"), "not ours", UTF_8);
        Files.createSymbolicLink(data.resolve("link"), outside);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("dcrs"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(data.resolve("dcrs/rule.json"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));

        DataFolder.secure(data);

        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("dcrs"))).isEqualTo("rwx------");
        assertThat(mode(data.resolve("dcrs/rule.json"))).isEqualTo("rw-------");
        assertThat(mode(outside)).as("a link's target outside the folder").isEqualTo("rw-r--r--");
    }

    @Test
    void privateFilesAndFoldersAreCreatedWithOwnerOnlyModes() throws Exception {
        Path nested = temp.resolve("a/b");
        DataFolder.createPrivateDirectories(nested);
        assertThat(mode(temp.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(nested)).isEqualTo("rwx------");
        try (OutputStream out = DataFolder.newPrivateFile(nested.resolve("staged.csv"))) {
            out.write(1);
        }
        assertThat(mode(nested.resolve("staged.csv"))).isEqualTo("rw-------");
    }

    private static Process startUnderUmask022(Path dataDir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // exec keeps the JVM as the shell's process, so destroyForcibly kills the JVM itself
        return new ProcessBuilder(
                        "/bin/sh",
                        "-c",
                        "umask 022 && exec \"$0\" --enable-native-access=ALL-UNNAMED -cp \"$1\" \"$2\" \"$3\"",
                        java,
                        System.getProperty("java.class.path"),
                        DataFolderChild.class.getName(),
                        dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static void awaitCommitted(Process child) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.equals("COMMITTED")) {
                return;
            }
        }
        throw new AssertionError("the child ended before committing; exit " + child.waitFor());
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
