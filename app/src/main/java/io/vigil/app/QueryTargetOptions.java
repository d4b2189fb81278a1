package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that choose where a command runs KQL: {@code --server URL} (the query API of a running
 * server) or {@code --data DIR} (this process, on the folder's store). With {@code --server}, the key
 * and workspace id come from {@code --key-file} and {@code --workspace}, or else from the data folder
 * given with {@code --data}, which is then only read for those two files.
 */
final class QueryTargetOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Query a running server (e.g. http://127.0.0.1:8080) instead of opening the store")
    URI server;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Workspace data folder. Without --server: queried in this process (stop the server"
                    + " first: the store is locked by one process). With --server: where the admin key and"
                    + " workspace id are read. Default without --server: vigil-data")
    Path dataDir;

    @Mixin
    GeoIpFlag geoIp;

    @Option(
            names = "--key-file",
            paramLabel = "FILE",
            description = "File holding the API key for --server. Default: <data>/secrets/admin.key")
    Path keyFile;

    @Option(
            names = "--workspace",
            paramLabel = "ID",
            description = "Workspace id for --server. Default: the id in <data>/workspace.json")
    String workspaceId;

    /** Opens the chosen target; a missing file or flag is a {@link VigilException} (exit code 2). */
    QueryTarget open(Duration requestTimeout) throws IOException {
        if (server == null) {
            if (keyFile != null || workspaceId != null) {
                throw usage("--key-file and --workspace go with --server");
            }
            Path dir = dataDir;
            if (dir == null) {
                dir = Path.of("vigil-data");
            }
            return QueryTarget.local(dir, geoIp.database());
        }
        if (geoIp.file != null) {
            throw usage("--geoip-db goes with --data; a server reads the database given to vigil server --geoip-db");
        }
        if (server.getScheme() == null
                || !(server.getScheme().equals("http") || server.getScheme().equals("https"))
                || server.getHost() == null) {
            throw usage("--server must be an http(s) URL such as http://127.0.0.1:8080, not " + server);
        }
        Path key = keyFile;
        if (key == null) {
            if (dataDir == null) {
                throw usage("--server needs --key-file FILE, or --data DIR to read DIR/secrets/admin.key");
            }
            key = dataDir.resolve("secrets").resolve("admin.key");
        }
        String workspace = workspaceId;
        if (workspace == null) {
            if (dataDir == null) {
                throw usage("--server needs --workspace ID, or --data DIR to read DIR/workspace.json");
            }
            workspace = readWorkspaceId(dataDir.resolve("workspace.json"));
        }
        return new QueryTarget.Remote(server, workspace, readKey(key), requestTimeout);
    }

    private static String readKey(Path file) throws IOException {
        String key;
        try {
            key = Files.readString(file, UTF_8).strip();
        } catch (NoSuchFileException exception) {
            throw usage("API key file " + file + " does not exist");
        }
        if (key.isEmpty()) {
            throw usage("API key file " + file + " is empty");
        }
        return key;
    }

    private static String readWorkspaceId(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw usage("no workspace id: " + file + " does not exist (give --workspace ID)");
        }
        JsonNode node = JSON.readTree(Files.readString(file, UTF_8));
        String id = node.path("workspaceId").asText("");
        if (id.isEmpty()) {
            throw usage(file + " has no workspaceId (give --workspace ID)");
        }
        return id;
    }

    private static VigilException usage(String message) {
        return new VigilException(StandardErrorCode.INVALID_ARGUMENT, message);
    }
}
