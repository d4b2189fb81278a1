package io.vigil.integrity;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.Dynamic;
import io.vigil.spi.QuerySource;
import io.vigil.spi.Row;
import io.vigil.spi.StoredTable;
import io.vigil.spi.TableSchema;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code vigil export --with-proof} and {@code vigil verify-export} (docs/integrity.md, "Export with proofs"): a
 * table's rows of a time range as NDJSON, and beside them the proof a third party checks with the workspace's
 * public key alone: the table's schema, the chain entries of every batch of the table that overlaps the range
 * with their row records, every chain entry from the first of those up to a signed checkpoint, and that
 * checkpoint.
 */
public final class ProvenExport {
    /** The rows file of an export folder. */
    public static final String ROWS_FILE = "rows.ndjson";

    /** The proof file of an export folder. */
    public static final String PROOF_FILE = "proof.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProvenExport() {}

    /** What an export wrote. */
    public record Written(long rows, int batches, long checkpointSequence) {}

    /**
     * Writes the rows of {@code table} with TimeGenerated in [{@code from}, {@code to}) to {@code out} (a new or
     * empty folder) with their proof.
     *
     * @throws IllegalStateException when the table has no TimeGenerated, or no valid checkpoint covers the
     *     range's batches yet (a server signs within 10 seconds; a stopped workspace has signed everything)
     */
    public static Written export(
            QuerySource source,
            IntegrityLayout layout,
            Path dataDir,
            PublicKey publicKey,
            String tableName,
            Instant from,
            Instant to,
            Path out)
            throws IOException, SQLException {
        StoredTable table = source.storedTable(tableName)
                .filter(StoredTable::materialized)
                .orElseThrow(() -> new IllegalArgumentException("no stored table " + tableName));
        if (table.schema().indexOf("TimeGenerated") < 0) {
            throw new IllegalArgumentException(tableName + " has no TimeGenerated to select a range by");
        }
        long fromMicros = CanonicalRow.epochMicros(from);
        long toMicros = CanonicalRow.epochMicros(to);
        List<ChainTable.Stored> chain = new ArrayList<>();
        try (Connection connection = source.newQueryConnection()) {
            ChainTable.readAll(connection, chain::add);
        }
        List<ChainTable.Stored> batches = new ArrayList<>();
        for (ChainTable.Stored stored : chain) {
            ChainEntry entry = stored.entry();
            if (entry.kind() == ChainEntry.Kind.BATCH
                    && entry.table().equals(table.name())
                    && entry.rowsHashed() > 0
                    && entry.lastMicros() >= fromMicros
                    && entry.firstMicros() < toMicros) {
                batches.add(stored);
            }
        }
        long needed = batches.stream()
                .mapToLong(stored -> stored.entry().sequence())
                .max()
                .orElse(0);
        Checkpoint checkpoint = newestValidCheckpoint(dataDir, publicKey, chain)
                .filter(found -> found.sequence() >= needed)
                .orElseThrow(() -> new IllegalStateException(
                        "no valid checkpoint covers the batches of the range yet: stop the server (it signs when it"
                                + " closes) or wait for its next checkpoint"));
        long firstSequence = batches.stream()
                .mapToLong(stored -> stored.entry().sequence())
                .min()
                .orElse(checkpoint.sequence());
        Files.createDirectories(out);
        Set<Long> batchIds = new HashSet<>();
        batches.forEach(stored -> batchIds.add(stored.entry().batchId()));
        long[] written = {0};
        StoredRows rows = new StoredRows(layout);
        try (BufferedWriter writer = Files.newBufferedWriter(out.resolve(ROWS_FILE), UTF_8);
                Connection connection = source.newQueryConnection()) {
            for (long batchId : batchIds.stream().sorted().toList()) {
                for (StoredRow row : rows.batch(connection, table, batchId)) {
                    Long time = row.timeGeneratedMicros();
                    if (time == null || time < fromMicros || time >= toMicros) {
                        continue;
                    }
                    ObjectNode line = JSON.createObjectNode();
                    line.put("batch", row.batchId());
                    line.put("seq", row.rowSequence());
                    line.set("row", values(row.row()));
                    writer.write(line.toString());
                    writer.write('\n');
                    written[0]++;
                }
            }
        }
        ObjectNode proof = JSON.createObjectNode();
        proof.put("format", "vigil-export-proof-v1");
        proof.put("table", table.name());
        proof.put("from", from.toString());
        proof.put("to", to.toString());
        ArrayNode schema = proof.putArray("schema");
        for (Column column : table.schema().columns()) {
            schema.addObject()
                    .put("name", column.name())
                    .put("type", column.type().kqlName());
        }
        ArrayNode entries = proof.putArray("chain");
        for (ChainTable.Stored stored : chain) {
            long sequence = stored.entry().sequence();
            if (sequence < firstSequence || sequence > checkpoint.sequence()) {
                continue;
            }
            ObjectNode node = entry(stored.entry());
            if (batches.contains(stored)) {
                node.put("rowRecords", Base64.getEncoder().encodeToString(stored.rowRecords()));
            }
            entries.add(node);
        }
        proof.putObject("checkpoint")
                .put("workspace", checkpoint.workspace())
                .put("sequence", checkpoint.sequence())
                .put("entryHash", checkpoint.entryHash())
                .put("signedAt", checkpoint.signedAt().toString())
                .put("signature", checkpoint.signature());
        Files.writeString(
                out.resolve(PROOF_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(proof));
        return new Written(written[0], batches.size(), checkpoint.sequence());
    }

    /**
     * Checks an export folder with the public key alone; returns every problem found (empty: the rows are
     * exactly the table's rows of the range as committed, none changed, missing, added or moved).
     */
    public static List<String> verify(Path folder, PublicKey publicKey) throws IOException {
        List<String> problems = new ArrayList<>();
        JsonNode proof = JSON.readTree(Files.readString(folder.resolve(PROOF_FILE), UTF_8));
        List<Column> columns = new ArrayList<>();
        for (JsonNode column : proof.path("schema")) {
            columns.add(new Column(
                    column.path("name").asText(),
                    ColumnType.fromReferenceName(column.path("type").asText()),
                    ""));
        }
        TableSchema schema = new TableSchema(proof.path("table").asText(), columns);
        long fromMicros =
                CanonicalRow.epochMicros(Instant.parse(proof.path("from").asText()));
        long toMicros = CanonicalRow.epochMicros(Instant.parse(proof.path("to").asText()));

        // the checkpoint holds for the key, and the chain links up to the entry it signs
        JsonNode signed = proof.path("checkpoint");
        Checkpoint checkpoint = new Checkpoint(
                signed.path("workspace").asText(),
                signed.path("sequence").asLong(),
                signed.path("entryHash").asText(),
                Instant.parse(signed.path("signedAt").asText()),
                signed.path("signature").asText());
        if (!Checkpoints.signatureHolds(publicKey, checkpoint)) {
            problems.add("the checkpoint's signature does not hold for this public key");
        }
        Map<Long, List<RowRecord>> recordsByBatch = new TreeMap<>();
        String previousHash = null;
        long previousSequence = -1;
        String lastHash = "";
        for (JsonNode node : proof.path("chain")) {
            ChainEntry entry = entry(node);
            if (previousHash != null
                    && (entry.sequence() != previousSequence + 1
                            || !entry.previousHash().equals(previousHash))) {
                problems.add("chain entry " + entry.sequence() + " does not link to the entry before it");
            }
            previousHash = entry.hash();
            previousSequence = entry.sequence();
            lastHash = previousHash;
            if (node.has("rowRecords")) {
                byte[] block =
                        Base64.getDecoder().decode(node.path("rowRecords").asText());
                if (!Digests.hex(Digests.sha256(block)).equals(entry.digest())) {
                    problems.add("the row records of batch " + entry.batchId() + " do not give its chain digest");
                    continue;
                }
                if (!entry.table().equals(schema.name())) {
                    problems.add("batch " + entry.batchId() + " is of table " + entry.table());
                    continue;
                }
                recordsByBatch.put(entry.batchId(), RowRecord.decode(block));
            }
        }
        if (previousSequence != checkpoint.sequence() || !lastHash.equals(checkpoint.entryHash())) {
            problems.add("the chain does not end at the entry the checkpoint signs (sequence " + checkpoint.sequence()
                    + ")");
        }

        // every exported row hashes to its record; every record of the range is exported once
        Map<String, RowRecord> expected = new HashMap<>();
        recordsByBatch.forEach((batch, records) -> {
            for (RowRecord record : records) {
                if (record.timeGeneratedMicros() != null
                        && record.timeGeneratedMicros() >= fromMicros
                        && record.timeGeneratedMicros() < toMicros) {
                    expected.put(batch + "/" + record.rowSequence(), record);
                }
            }
        });
        try (BufferedReader reader = Files.newBufferedReader(folder.resolve(ROWS_FILE), UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                String key =
                        node.path("batch").asLong() + "/" + node.path("seq").asLong();
                RowRecord record = expected.remove(key);
                if (record == null) {
                    problems.add("line " + number + ": row " + key + " is not a row of the range the proof covers"
                            + " (added, duplicated or moved)");
                    continue;
                }
                Row row;
                try {
                    row = row(schema, node.path("row"));
                } catch (RuntimeException e) {
                    problems.add("line " + number + ": row " + key + " cannot be read: " + e.getMessage());
                    continue;
                }
                if (!record.sameHash(CanonicalRow.hash(row))) {
                    problems.add("line " + number + ": row " + key + " differs from the row committed");
                }
            }
        }
        for (String missing : new TreeMap<>(expected).keySet()) {
            problems.add("row " + missing + " of the range is missing from the export");
        }
        return problems;
    }

    private static Optional<Checkpoint> newestValidCheckpoint(
            Path dataDir, PublicKey publicKey, List<ChainTable.Stored> chain) throws IOException {
        Map<Long, String> hashes = new HashMap<>();
        chain.forEach(
                stored -> hashes.put(stored.entry().sequence(), stored.entry().hash()));
        Checkpoint newest = null;
        for (Checkpoints.Line line : Checkpoints.read(Checkpoints.file(dataDir))) {
            Checkpoint checkpoint = line.checkpoint();
            if (checkpoint == null
                    || !Checkpoints.signatureHolds(publicKey, checkpoint)
                    || !checkpoint.entryHash().equals(hashes.get(checkpoint.sequence()))) {
                continue;
            }
            if (newest == null || checkpoint.sequence() > newest.sequence()) {
                newest = checkpoint;
            }
        }
        return Optional.ofNullable(newest);
    }

    private static ObjectNode entry(ChainEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("sequence", entry.sequence());
        node.put("kind", entry.kind().word());
        node.put("workspace", entry.workspace());
        node.put("table", entry.table());
        node.put("batchId", entry.batchId());
        node.put("rowCount", entry.rowCount());
        node.put("rowsHashed", entry.rowsHashed());
        node.put("firstMicros", entry.firstMicros());
        node.put("lastMicros", entry.lastMicros());
        node.put("recordedMicros", entry.recordedMicros());
        node.put("digest", entry.digest());
        node.put("previousHash", entry.previousHash());
        return node;
    }

    private static ChainEntry entry(JsonNode node) {
        return new ChainEntry(
                node.path("sequence").asLong(),
                ChainEntry.Kind.of(node.path("kind").asText()),
                node.path("workspace").asText(),
                node.path("table").asText(),
                node.path("batchId").asLong(),
                node.path("rowCount").asLong(),
                node.path("rowsHashed").asLong(),
                node.path("firstMicros").asLong(),
                node.path("lastMicros").asLong(),
                node.path("recordedMicros").asLong(),
                node.path("digest").asText(),
                node.path("previousHash").asText());
    }

    /**
     * A row's values by column name, each as plain JSON that reads back to the exact value hashed: datetimes as
     * ISO-8601 with microseconds, timespans as microseconds, reals as numbers (NaN and infinities as text),
     * dynamic values as their JSON text.
     */
    private static ObjectNode values(Row row) {
        ObjectNode node = JSON.createObjectNode();
        TableSchema schema = row.table();
        for (int index = 0; index < schema.columnCount(); index++) {
            Column column = schema.columns().get(index);
            Object value = row.get(index);
            if (value == null) {
                node.putNull(column.name());
                continue;
            }
            switch (column.type()) {
                case STRING, GUID -> node.put(column.name(), (String) value);
                case INT -> node.put(column.name(), (Integer) value);
                case LONG -> node.put(column.name(), (Long) value);
                case REAL -> {
                    double number = (Double) value;
                    if (Double.isFinite(number)) {
                        node.put(column.name(), number);
                    } else {
                        node.put(column.name(), Double.toString(number));
                    }
                }
                case BOOL -> node.put(column.name(), (Boolean) value);
                case DATETIME -> node.put(column.name(), value.toString());
                case TIMESPAN -> node.put(column.name(), micros((Duration) value));
                case DYNAMIC -> node.put(column.name(), ((Dynamic) value).json());
            }
        }
        return node;
    }

    private static Row row(TableSchema schema, JsonNode values) {
        Row.Builder row = schema.newRow();
        for (int index = 0; index < schema.columnCount(); index++) {
            Column column = schema.columns().get(index);
            JsonNode value = values.path(column.name());
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            Object typed = switch (column.type()) {
                case STRING, GUID -> value.asText();
                case INT -> value.intValue();
                case LONG -> value.longValue();
                case REAL -> value.isTextual() ? Double.parseDouble(value.asText()) : value.doubleValue();
                case BOOL -> value.booleanValue();
                case DATETIME -> Instant.parse(value.asText());
                case TIMESPAN -> Duration.ofNanos(Math.multiplyExact(value.longValue(), 1000L));
                case DYNAMIC -> new Dynamic(value.asText());
            };
            row.set(index, typed);
        }
        return row.build();
    }

    private static long micros(Duration duration) {
        return Math.addExact(Math.multiplyExact(duration.getSeconds(), 1_000_000L), duration.getNano() / 1000);
    }
}
