package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --server URL} and {@code --key-file FILE} of the rules, alerts and incidents commands: with a server the
 * command uses its REST API (Sentinel's shapes) with an API key instead of opening the store, so it works while
 * the server runs.
 */
final class ServerOption {
    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Use a running server's REST API (e.g. http://127.0.0.1:8080) instead of opening the store")
    URI server;

    @Option(
            names = "--key-file",
            paramLabel = "FILE",
            description = "File holding the API key for --server. Default: <data>/secrets/admin.key")
    Path keyFile;

    /** The client for {@code --server}, or empty without it; bad flags are a {@link VigilException}. */
    Optional<SecurityInsightsClient> client(Path dataDir) throws IOException {
        if (server == null) {
            if (keyFile != null) {
                throw usage("--key-file goes with --server");
            }
            return Optional.empty();
        }
        if (server.getScheme() == null
                || !(server.getScheme().equals("http") || server.getScheme().equals("https"))
                || server.getHost() == null) {
            throw usage("--server must be an http(s) URL such as http://127.0.0.1:8080, not " + server);
        }
        Path key = keyFile;
        if (key == null) {
            key = dataDir.resolve("secrets").resolve("admin.key");
        }
        String text;
        try {
            text = Files.readString(key, UTF_8).strip();
        } catch (NoSuchFileException exception) {
            throw usage("API key file " + key + " does not exist (give --key-file FILE)");
        }
        if (text.isEmpty()) {
            throw usage("API key file " + key + " is empty");
        }
        return Optional.of(new SecurityInsightsClient(server, text));
    }

    private static VigilException usage(String message) {
        return new VigilException(StandardErrorCode.INVALID_ARGUMENT, message);
    }
}
