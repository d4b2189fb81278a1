package io.vigil.app.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.workspace.Workspace;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * API keys per principal. Only SHA-256 hashes are stored ({@code secrets/keys.json}, mode 0600); on first start
 * an admin key is created and written once to {@code secrets/admin.key} (mode 0600) for the operator, and
 * {@code vigil keys create} adds keys for other principals. A running server sees keys created or revoked by
 * the CLI within a second: the file is read again when it changed.
 */
public final class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_PREFIX = "vgl_";
    private static final Pattern PRINCIPAL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    private static final long RELOAD_CHECK_NANOS = 1_000_000_000L;

    /** What a key may do; each role includes the ones before it (DESIGN.md §3). */
    public enum Role {
        /** Query the workspace, read metrics and source health. */
        READER,
        /** A reader who will also work alerts and incidents. */
        RESPONDER,
        /** A responder who may also send data (the Logs Ingestion API) and manage content. */
        CONTRIBUTOR,
        /** Everything, including keys and settings. */
        ADMIN;

        /** The role's name as written in {@code keys.json} and on the command line. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean includes(Role other) {
            return compareTo(other) >= 0;
        }

        public static Role parse(String label) {
            for (Role role : values()) {
                if (role.label().equals(label)) {
                    return role;
                }
            }
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    "unknown role '" + label + "': use reader, responder, contributor or admin");
        }
    }

    /** A principal and its role. */
    public record Principal(String name, Role role) {}

    /** A stored key: whose it is, since when, and the hash of the key itself. */
    public record Entry(Principal principal, Optional<Instant> created, byte[] sha256) {}

    private final Path keysFile;
    private final Optional<Path> createdAdminKey;
    private volatile List<Entry> entries;
    private volatile FileTime loadedVersion;
    private volatile long nextReloadCheck;

    private ApiKeys(Path keysFile, List<Entry> entries, FileTime loadedVersion, Optional<Path> createdAdminKey) {
        this.keysFile = keysFile;
        this.entries = List.copyOf(entries);
        this.loadedVersion = loadedVersion;
        this.createdAdminKey = createdAdminKey;
        this.nextReloadCheck = System.nanoTime() + RELOAD_CHECK_NANOS;
    }

    /** Loads the key hashes, creating the admin key when the workspace has none. */
    public static ApiKeys load(Workspace workspace) throws IOException {
        Path keysFile = keysFile(workspace);
        List<Entry> entries = read(keysFile);
        if (!entries.isEmpty()) {
            return new ApiKeys(keysFile, entries, Files.getLastModifiedTime(keysFile), Optional.empty());
        }
        String key = newKey();
        entries.add(new Entry(
                new Principal("admin", Role.ADMIN),
                Optional.of(Clock.systemUTC().instant()),
                sha256(key)));
        Path adminKey = workspace.secretsDir().resolve("admin.key");
        Workspace.writePrivate(adminKey, key + "\n");
        write(keysFile, entries);
        return new ApiKeys(keysFile, entries, Files.getLastModifiedTime(keysFile), Optional.of(adminKey));
    }

    /**
     * Adds a key for a new principal and returns the key, which is shown only this once (its hash is stored).
     * Refuses a name that is taken or malformed.
     */
    public static String create(Workspace workspace, String principal, Role role, Clock clock) throws IOException {
        if (!PRINCIPAL_NAME.matcher(principal).matches()) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    "principal names are 1-128 letters, digits and . _ @ -, starting with a letter or digit: "
                            + principal);
        }
        load(workspace);
        Path keysFile = keysFile(workspace);
        List<Entry> entries = read(keysFile);
        if (entries.stream().anyMatch(entry -> entry.principal().name().equals(principal))) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    "principal '" + principal + "' already has a key; revoke it first to issue a new one");
        }
        String key = newKey();
        entries.add(new Entry(new Principal(principal, role), Optional.of(clock.instant()), sha256(key)));
        write(keysFile, entries);
        return key;
    }

    /** Removes a principal's key; false when it has none. The last admin key cannot be revoked. */
    public static boolean revoke(Workspace workspace, String principal) throws IOException {
        Path keysFile = keysFile(workspace);
        List<Entry> entries = read(keysFile);
        List<Entry> kept = new ArrayList<>();
        for (Entry entry : entries) {
            if (!entry.principal().name().equals(principal)) {
                kept.add(entry);
            }
        }
        if (kept.size() == entries.size()) {
            return false;
        }
        if (kept.stream().noneMatch(entry -> entry.principal().role() == Role.ADMIN)) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    "'" + principal + "' holds the last admin key; create another admin key before revoking it");
        }
        write(keysFile, kept);
        return true;
    }

    /** The workspace's keys, in the order they were created. */
    public static List<Entry> list(Workspace workspace) throws IOException {
        return List.copyOf(read(keysFile(workspace)));
    }

    /** Where the admin key was written, when this start created it. */
    public Optional<Path> createdAdminKey() {
        return createdAdminKey;
    }

    /** Every principal with a key now, in the order of the keys file (no key material). */
    public List<Principal> principals() {
        reloadIfChanged();
        return entries.stream().map(Entry::principal).toList();
    }

    /** The principal a presented key belongs to (constant-time comparison of hashes). */
    public Optional<Principal> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        reloadIfChanged();
        byte[] hash = sha256(presentedKey.trim());
        Principal match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.sha256(), hash)) {
                match = entry.principal();
            }
        }
        return Optional.ofNullable(match);
    }

    /** Reads the keys file again when it changed, looking at most once a second. */
    private void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - nextReloadCheck < 0) {
            return;
        }
        synchronized (this) {
            if (now - nextReloadCheck < 0) {
                return;
            }
            nextReloadCheck = now + RELOAD_CHECK_NANOS;
            try {
                FileTime version = Files.getLastModifiedTime(keysFile);
                if (!version.equals(loadedVersion)) {
                    entries = List.copyOf(read(keysFile));
                    loadedVersion = version;
                }
            } catch (IOException | UncheckedIOException | VigilException e) {
                // keep serving with the keys already loaded rather than locking everybody out
                LOG.log(Level.WARNING, "cannot read " + keysFile + "; keeping the keys loaded before", e);
            }
        }
    }

    private static Path keysFile(Workspace workspace) {
        return workspace.secretsDir().resolve("keys.json");
    }

    private static List<Entry> read(Path keysFile) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(keysFile)) {
            return entries;
        }
        for (JsonNode node : JSON.readTree(Files.readString(keysFile, UTF_8))) {
            Optional<Instant> created = Optional.empty();
            if (node.hasNonNull("created")) {
                created = Optional.of(Instant.parse(node.path("created").asText()));
            }
            entries.add(new Entry(
                    new Principal(
                            node.path("principal").asText(),
                            Role.parse(node.path("role").asText())),
                    created,
                    HexFormat.of().parseHex(node.path("sha256").asText())));
        }
        return entries;
    }

    private static void write(Path keysFile, List<Entry> entries) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        for (Entry entry : entries) {
            ObjectNode node = array.addObject();
            node.put("principal", entry.principal().name());
            node.put("role", entry.principal().role().label());
            entry.created().ifPresent(created -> node.put("created", created.toString()));
            node.put("sha256", HexFormat.of().formatHex(entry.sha256()));
        }
        Workspace.writePrivate(keysFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n");
    }

    private static String newKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
