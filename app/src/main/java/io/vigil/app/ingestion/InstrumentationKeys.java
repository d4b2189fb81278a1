package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.app.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The workspace's Application Insights instrumentation keys: one GUID created on first start in
 * {@code secrets/appinsights.key} (mode 0600, next to the admin key); more can be added one per line.
 * Senders put the key in every envelope ({@code iKey}) and in their connection string.
 */
public record InstrumentationKeys(Path file, List<String> keys) {
    public InstrumentationKeys {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no instrumentation key in " + file);
        }
    }

    /** Reads the keys, creating the first one when the workspace has none. */
    public static InstrumentationKeys loadOrCreate(Workspace workspace) throws IOException {
        Path file = workspace.secretsDir().resolve("appinsights.key");
        if (!Files.exists(file)) {
            Workspace.writePrivate(file, UUID.randomUUID() + "\n");
        }
        List<String> keys = Files.readAllLines(file, UTF_8).stream()
                .map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.toLowerCase(Locale.ROOT))
                .toList();
        return new InstrumentationKeys(file, keys);
    }

    /** The key a new sender should use. */
    public String primary() {
        return keys.getFirst();
    }

    /** Whether an envelope's iKey is one of this workspace's keys (GUIDs compare case-insensitively). */
    public boolean accepts(String iKey) {
        return iKey != null && keys.contains(iKey.trim().toLowerCase(Locale.ROOT));
    }

    /** The connection string a sender configures, pointing at this server. */
    public String connectionString(String baseUrl) {
        String endpoint = baseUrl;
        if (!endpoint.endsWith("/")) {
            endpoint = endpoint + "/";
        }
        return "InstrumentationKey=" + primary() + ";IngestionEndpoint=" + endpoint;
    }
}
