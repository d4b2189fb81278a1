package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API keys per principal. Only SHA-256 hashes are stored ({@code secrets/keys.json}); on first start
 * an admin key is created and written once to {@code secrets/admin.key} (mode 0600) for the operator.
 */
public final class ApiKeys {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_PREFIX = "vgl_";

    /** A principal and its role (reader, responder, contributor, admin). */
    public record Principal(String name, String role) {}

    private record Entry(Principal principal, byte[] sha256) {}

    private final List<Entry> entries;
    private final Optional<Path> createdAdminKey;

    private ApiKeys(List<Entry> entries, Optional<Path> createdAdminKey) {
        this.entries = List.copyOf(entries);
        this.createdAdminKey = createdAdminKey;
    }

    /** Loads the key hashes, creating the admin key when the workspace has none. */
    public static ApiKeys load(Workspace workspace) throws IOException {
        Path keysFile = workspace.secretsDir().resolve("keys.json");
        List<Entry> entries = new ArrayList<>();
        if (Files.exists(keysFile)) {
            for (JsonNode node : JSON.readTree(Files.readString(keysFile, UTF_8))) {
                entries.add(new Entry(
                        new Principal(
                                node.path("principal").asText(),
                                node.path("role").asText()),
                        HexFormat.of().parseHex(node.path("sha256").asText())));
            }
        }
        if (!entries.isEmpty()) {
            return new ApiKeys(entries, Optional.empty());
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        entries.add(new Entry(new Principal("admin", "admin"), sha256(key)));
        ArrayNode array = JSON.createArrayNode();
        for (Entry entry : entries) {
            ObjectNode node = array.addObject();
            node.put("principal", entry.principal().name());
            node.put("role", entry.principal().role());
            node.put("sha256", HexFormat.of().formatHex(entry.sha256()));
        }
        Path adminKey = workspace.secretsDir().resolve("admin.key");
        Workspace.writePrivate(adminKey, key + "\n");
        Workspace.writePrivate(keysFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n");
        return new ApiKeys(entries, Optional.of(adminKey));
    }

    /** Where the admin key was written, when this start created it. */
    public Optional<Path> createdAdminKey() {
        return createdAdminKey;
    }

    /** The principal a presented key belongs to (constant-time comparison of hashes). */
    public Optional<Principal> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presentedKey.trim());
        Principal match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.sha256(), hash)) {
                match = entry.principal();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
