package io.vigil.app.workspace;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.store.DataFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * The layout of a data folder: the DuckDB store, {@code workspace.json} (the workspace id and the
 * shared key of the Data Collector API) and {@code secrets/} (key hashes and the first admin key). The
 * folder is private to its owner ({@link DataFolder}).
 */
public record Workspace(Path dataDir, String workspaceId, String sharedKey) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opens the workspace in {@code dataDir}, creating its identity on first use. */
    public static Workspace open(Path dataDir) throws IOException {
        DataFolder.secure(dataDir);
        Path file = dataDir.resolve("workspace.json");
        if (Files.exists(file)) {
            JsonNode node = JSON.readTree(Files.readString(file, UTF_8));
            return new Workspace(
                    dataDir,
                    node.path("workspaceId").asText(),
                    node.path("sharedKey").asText());
        }
        byte[] key = new byte[64];
        new SecureRandom().nextBytes(key);
        Workspace workspace = new Workspace(
                dataDir, UUID.randomUUID().toString(), Base64.getEncoder().encodeToString(key));
        ObjectNode node = JSON.createObjectNode();
        node.put("workspaceId", workspace.workspaceId());
        node.put("sharedKey", workspace.sharedKey());
        writePrivate(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        return workspace;
    }

    public Path secretsDir() {
        return dataDir.resolve("secrets");
    }

    /** Writes a file readable by its owner only (mode 0600), creating it with that mode. */
    public static void writePrivate(Path file, String content) throws IOException {
        DataFolder.createPrivateDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, content, UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
