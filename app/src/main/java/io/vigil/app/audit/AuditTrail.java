package io.vigil.app.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.AuditLog;
import io.vigil.spi.Dynamic;
import io.vigil.spi.EventStore;
import io.vigil.spi.RetentionRun;
import io.vigil.spi.Row;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The workspace's audit of admin and responder actions, kept in {@code SentinelAudit} (Microsoft Sentinel's
 * audit table: OperationName, SentinelResourceType/Name/Id, Status, Description, and ExtendedProperties with
 * CallerName, CallerIpAddress, OriginalResourceState and UpdatedResourceState).
 *
 * <p>An action is first appended, synced, to the outbox {@code DIR/audit/outbox.jsonl}: the command line changes
 * keys, sinks and rules while a server holds the database, so a command cannot always write the store itself.
 * Whichever process has the workspace open ({@link Drainer}) moves the outbox into the store through
 * the normal write road (so the integrity chain covers each row) when it opens, every second, and when it closes,
 * and empties it after the commit. A crash between that commit and emptying the outbox writes those rows again
 * on the next drain, with the same CorrelationId.
 */
public final class AuditTrail implements AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object PROCESS_LOCK = new Object();
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(30);

    /** The SentinelResourceType of each action area, the part of the action name before its first dot. */
    private static final Map<String, String> RESOURCE_TYPES = Map.of(
            "keys", "ApiKey",
            "rules", "AlertRule",
            "dcr", "DataCollectionRule",
            "sinks", "Sink",
            "incidents", "Incident",
            "retention", "Table");

    private final Path outbox;
    private final Path lockFile;
    private final Clock clock;

    private AuditTrail(Path dataDir, Clock clock) {
        Path folder = dataDir.resolve("audit");
        this.outbox = folder.resolve("outbox.jsonl");
        this.lockFile = folder.resolve("outbox.lock");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The audit trail of the workspace in {@code dataDir}. */
    public static AuditTrail of(Path dataDir) {
        return new AuditTrail(dataDir, Clock.systemUTC());
    }

    public static AuditTrail of(Path dataDir, Clock clock) {
        return new AuditTrail(dataDir, clock);
    }

    @Override
    public void record(Actor actor, String action, String target, Optional<String> before, Optional<String> after) {
        requireNonNull(actor, "actor is null");
        requireNonNull(action, "action is null");
        requireNonNull(target, "target is null");
        ObjectNode line = JSON.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("correlationId", UUID.randomUUID().toString());
        line.put("actor", actor.name());
        line.put("source", actor.source());
        line.put("action", action);
        line.put("target", target);
        before.ifPresent(json -> line.set("before", parse(json)));
        after.ifPresent(json -> line.set("after", parse(json)));
        byte[] bytes = (line.toString() + "\n").getBytes(UTF_8);
        try {
            withLock(() -> {
                try (FileChannel channel =
                        FileChannel.open(outbox, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                return null;
            });
        } catch (IOException e) {
            throw new VigilException(
                    StandardErrorCode.STORE_FAILURE,
                    "cannot record the audit entry of " + action + ": " + e.getMessage());
        }
    }

    /**
     * Records a retention pass: one {@code retention.delete} entry by the system per table it deleted rows of,
     * with the cutoff and the number of rows (the integrity chain records the same pass as its own entries).
     */
    public void recordRetention(RetentionRun run) {
        for (Map.Entry<String, Long> table : new TreeMap<>(run.rowsDeletedByTable()).entrySet()) {
            if (table.getValue() <= 0) {
                continue;
            }
            record(
                    Actor.system(),
                    "retention.delete",
                    table.getKey(),
                    state(
                            "rows",
                            table.getValue(),
                            "cutoff",
                            Optional.ofNullable(run.cutoffByTable().get(table.getKey()))),
                    Optional.empty());
        }
    }

    /**
     * Moves every entry of the outbox into {@code SentinelAudit} and empties it once the rows committed; returns
     * how many were moved. Lines that are not JSON (a writer killed mid-line) are skipped with a warning.
     */
    public int drain(EventStore store) throws IOException, InterruptedException {
        if (!Files.exists(outbox) || Files.size(outbox) == 0) {
            return 0;
        }
        return withLock(() -> {
            List<String> lines = Files.readAllLines(outbox, UTF_8);
            List<Row> rows = new ArrayList<>();
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rows.add(row(store, JSON.readTree(line)));
                } catch (JsonProcessingException | RuntimeException e) {
                    LOG.warning("skipping an audit outbox line that cannot be read: " + e.getMessage());
                }
            }
            if (!rows.isEmpty()) {
                try {
                    store.write(rows).get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the audit rows were committed", e);
                } catch (ExecutionException | TimeoutException e) {
                    // the outbox is kept: the next drain tries again
                    throw new IOException("the audit rows did not commit: " + e.getMessage(), e);
                }
            }
            try (FileChannel channel = FileChannel.open(outbox, StandardOpenOption.WRITE)) {
                channel.truncate(0);
                channel.force(true);
            }
            return rows.size();
        });
    }

    private static Row row(EventStore store, JsonNode entry) {
        String action = entry.path("action").asText();
        String area = action.contains(".") ? action.substring(0, action.indexOf('.')) : action;
        String type = RESOURCE_TYPES.getOrDefault(area, area);
        String target = entry.path("target").asText();
        ObjectNode extended = JSON.createObjectNode();
        extended.put("CallerName", entry.path("actor").asText());
        extended.put("CallerIpAddress", entry.path("source").asText());
        if (entry.has("before")) {
            extended.set("OriginalResourceState", entry.path("before"));
        }
        if (entry.has("after")) {
            extended.set("UpdatedResourceState", entry.path("after"));
        }
        return store.catalog()
                .require("SentinelAudit")
                .newRow()
                .set("TimeGenerated", Instant.parse(entry.path("time").asText()))
                .set("OperationName", action)
                .set("SentinelResourceType", type)
                .set("SentinelResourceName", target)
                .set("SentinelResourceId", "/vigil/" + type + "/" + target)
                .set("Status", "Success")
                .set(
                        "Description",
                        entry.path("actor").asText() + " ("
                                + entry.path("source").asText() + "): " + action + " " + target)
                .set("CorrelationId", entry.path("correlationId").asText())
                .set("ExtendedProperties", new Dynamic(extended.toString()))
                .set("SourceSystem", "Vigil")
                .build();
    }

    /**
     * A state for {@link #record} from names and values in turn ({@code state("role", "reader", "tables", list)}):
     * an empty Optional is left out, other values are written as JSON (strings, numbers, booleans, lists).
     */
    public static Optional<String> state(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("a state is names and values in turn");
        }
        ObjectNode node = JSON.createObjectNode();
        for (int index = 0; index < namesAndValues.length; index += 2) {
            String name = (String) namesAndValues[index];
            Object value = namesAndValues[index + 1];
            if (value instanceof Optional<?> optional) {
                if (optional.isEmpty()) {
                    continue;
                }
                value = optional.get();
            }
            if (value instanceof Instant instant) {
                value = instant.toString();
            }
            node.set(name, JSON.valueToTree(value));
        }
        return Optional.of(node.toString());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an audit state must be JSON: " + e.getOriginalMessage(), e);
        }
    }

    private interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} holding the outbox lock: against other threads, then other processes (a file lock). */
    private <T> T withLock(Locked<T> work) throws IOException {
        synchronized (PROCESS_LOCK) {
            Path folder = outbox.getParent();
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(
                        folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            for (Path file : List.of(lockFile, outbox)) {
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException exists) {
                    // made by an earlier action or another process
                }
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return work.run();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /** Drains the outbox of an open workspace every second, and once more when closed. */
    public static final class Drainer implements AutoCloseable {
        private final AuditTrail trail;
        private final EventStore store;
        private final Thread thread;
        private final CountDownLatch stop = new CountDownLatch(1);

        private Drainer(AuditTrail trail, EventStore store) {
            this.trail = trail;
            this.store = store;
            this.thread =
                    Thread.ofPlatform().name("vigil-audit-outbox").daemon().unstarted(this::loop);
        }

        /** Drains what commands left while no process had the workspace open, then keeps draining. */
        public static Drainer start(Path dataDir, EventStore store) {
            Drainer drainer = new Drainer(AuditTrail.of(dataDir), store);
            drainer.drainOnce();
            drainer.thread.start();
            return drainer;
        }

        private void loop() {
            try {
                while (!stop.await(1, TimeUnit.SECONDS)) {
                    drainOnce();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void drainOnce() {
            try {
                trail.drain(store);
            } catch (IOException | VigilException e) {
                LOG.log(Level.WARNING, "the audit outbox could not be moved into SentinelAudit; retrying", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops the timer and drains once more, so what this process recorded is stored before it ends. */
        @Override
        public void close() {
            stop.countDown();
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            drainOnce();
        }
    }
}
