package io.vigil.app.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.workspace.Workspace;
import io.vigil.engine.TableAccess;
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
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

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

    /**
     * A principal, its role and its table-level read grant.
     *
     * @param tables the tables its queries may read (Log Analytics' table-level RBAC); empty means every table
     */
    public record Principal(String name, Role role, Optional<Set<String>> tables) {
        public Principal {
            requireNonNull(name, "name is null");
            requireNonNull(role, "role is null");
            // sorted, so keys.json, the CLI and /v1/me list a grant the same way every time
            tables = requireNonNull(tables, "tables is null")
                    .map(names -> Collections.unmodifiableSortedSet(new TreeSet<>(names)));
        }

        /** A principal who may read every table. */
        public Principal(String name, Role role) {
            this(name, role, Optional.empty());
        }

        /** What its queries may read, as the engine checks it at binding. */
        public TableAccess tableAccess() {
            return tables.map(TableAccess::only).orElse(TableAccess.ALL);
        }
    }

    /**
     * A stored key: whose it is, since when, until when (no expiry when empty), and the hash of the key itself.
     */
    public record Entry(Principal principal, Optional<Instant> created, Optional<Instant> expires, byte[] sha256) {}

    private final Path keysFile;
    private final Optional<Path> createdAdminKey;
    private volatile List<Entry> entries;
    private volatile FileTime loadedVersion;
    private volatile long nextReloadCheck;

    private final Clock clock;

    private ApiKeys(Path keysFile, List<Entry> entries, FileTime loadedVersion, Optional<Path> createdAdminKey) {
        this.clock = Clock.systemUTC();
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
                Optional.empty(),
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
        return create(workspace, new Principal(principal, role), Optional.empty(), clock);
    }

    /**
     * Adds a key for a new principal with its table grant and expiry, and returns the key (shown only this once;
     * its hash is stored). Refuses a name that is taken or malformed, a malformed table name, and an expiry that
     * is not in the future.
     */
    public static String create(Workspace workspace, Principal principal, Optional<Instant> expires, Clock clock)
            throws IOException {
        if (!PRINCIPAL_NAME.matcher(principal.name()).matches()) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    "principal names are 1-128 letters, digits and . _ @ -, starting with a letter or digit: "
                            + principal.name());
        }
        checkTables(principal.tables());
        if (expires.isPresent() && !expires.get().isAfter(clock.instant())) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT, "the expiry " + expires.get() + " is not in the future");
        }
        load(workspace);
        Path keysFile = keysFile(workspace);
        List<Entry> entries = read(keysFile);
        if (entries.stream().anyMatch(entry -> entry.principal().name().equals(principal.name()))) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    "principal '" + principal.name()
                            + "' already has a key; rotate it, or revoke it first to issue a new one");
        }
        String key = newKey();
        entries.add(new Entry(principal, Optional.of(clock.instant()), expires, sha256(key)));
        write(keysFile, entries);
        return key;
    }

    /**
     * Replaces a principal's key by a new one with the same role, grant and expiry, and returns it (shown only
     * this once); the old key stops working when a running server next reads the keys file (within a second).
     */
    public static Optional<String> rotate(Workspace workspace, String principal, Clock clock) throws IOException {
        Path keysFile = keysFile(workspace);
        List<Entry> entries = read(keysFile);
        for (int index = 0; index < entries.size(); index++) {
            Entry entry = entries.get(index);
            if (entry.principal().name().equals(principal)) {
                String key = newKey();
                entries.set(
                        index,
                        new Entry(entry.principal(), Optional.of(clock.instant()), entry.expires(), sha256(key)));
                write(keysFile, entries);
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** The stored entry of a principal, if it has a key (no key material beyond the hash). */
    public static Optional<Entry> entry(Workspace workspace, String principal) throws IOException {
        return read(keysFile(workspace)).stream()
                .filter(entry -> entry.principal().name().equals(principal))
                .findFirst();
    }

    private static void checkTables(Optional<Set<String>> tables) {
        if (tables.isEmpty()) {
            return;
        }
        if (tables.get().isEmpty()) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT, "a table grant names at least one table (none means all)");
        }
        for (String table : tables.get()) {
            if (!TABLE_NAME.matcher(table).matches()) {
                throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, "not a table name: '" + table + "'");
            }
        }
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

    /**
     * The principal a presented key belongs to (constant-time comparison of hashes); an expired key is no key.
     * Every entry is compared, expired or not, so the time taken says nothing about which key matched.
     */
    public Optional<Principal> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return Optional.empty();
        }
        reloadIfChanged();
        byte[] hash = sha256(presentedKey.trim());
        Instant now = clock.instant();
        Principal match = null;
        for (Entry entry : entries) {
            boolean equal = MessageDigest.isEqual(entry.sha256(), hash);
            boolean live =
                    entry.expires().isEmpty() || now.isBefore(entry.expires().get());
            if (equal && live) {
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
            Optional<Instant> expires = Optional.empty();
            if (node.hasNonNull("expires")) {
                expires = Optional.of(Instant.parse(node.path("expires").asText()));
            }
            Optional<Set<String>> tables = Optional.empty();
            if (node.path("tables").isArray()) {
                Set<String> names = new TreeSet<>();
                node.path("tables").forEach(table -> names.add(table.asText()));
                tables = Optional.of(names);
            }
            entries.add(new Entry(
                    new Principal(
                            node.path("principal").asText(),
                            Role.parse(node.path("role").asText()),
                            tables),
                    created,
                    expires,
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
            entry.principal().tables().ifPresent(tables -> {
                ArrayNode names = node.putArray("tables");
                new TreeSet<>(tables).forEach(names::add);
            });
            entry.created().ifPresent(created -> node.put("created", created.toString()));
            entry.expires().ifPresent(expires -> node.put("expires", expires.toString()));
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
