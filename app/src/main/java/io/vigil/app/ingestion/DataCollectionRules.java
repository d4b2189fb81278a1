package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.workspace.Workspace;
import io.vigil.catalog.TableCatalog;
import io.vigil.spi.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The workspace's data collection rules, one JSON file per rule under {@code DIR/dcrs/}
 * ({@code <immutableId>.json}, the definition as given). Files are read on first use, so a rule created
 * with {@code vigil dcr create} while the server runs is found by the next request naming it.
 */
public final class DataCollectionRules {
    private final Path directory;
    private final TableCatalog builtIn = TableCatalog.builtIn();
    private final Map<String, DataCollectionRule> cache = new ConcurrentHashMap<>();

    private DataCollectionRules(Path directory) {
        this.directory = directory;
    }

    public static DataCollectionRules of(Workspace workspace) {
        return new DataCollectionRules(workspace.dataDir().resolve("dcrs"));
    }

    public Path directory() {
        return directory;
    }

    /** Validates and stores a new rule under a fresh immutable id; returns it. */
    public DataCollectionRule create(ObjectNode definition) throws IOException {
        requireNonNull(definition, "definition is null");
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String immutableId = "dcr-" + HexFormat.of().formatHex(random);
        DataCollectionRule rule = DataCollectionRule.parse(immutableId, definition, builtIn);
        validateTransforms(rule);
        Workspace.writePrivate(
                directory.resolve(immutableId + ".json"),
                HttpExchange.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(definition) + "\n");
        cache.put(immutableId, rule);
        return rule;
    }

    /**
     * Compiles every flow's transform against each declared input stream, as Azure refuses a rule whose
     * transformKql does not compile when it is created; streams without a declaration are not checked.
     */
    private static void validateTransforms(DataCollectionRule rule) {
        KqlDcrTransform compiler = new KqlDcrTransform(Clock.systemUTC());
        for (DataCollectionRule.DataFlow flow : rule.dataFlows()) {
            for (String stream : flow.streams()) {
                List<Column> declared = rule.streams().get(stream);
                if (declared == null) {
                    continue;
                }
                Optional<String> error = compiler.validate(flow.transformKql(), declared);
                if (error.isPresent()) {
                    throw new IllegalArgumentException(
                            "data flow " + stream + " -> " + flow.outputStream() + ": " + error.get());
                }
            }
        }
    }

    /** The rule with this immutable id, if the workspace has one. */
    public Optional<DataCollectionRule> find(String immutableId) throws IOException {
        if (immutableId == null
                || !DataCollectionRule.IMMUTABLE_ID.matcher(immutableId).matches()) {
            return Optional.empty();
        }
        DataCollectionRule cached = cache.get(immutableId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Path file = directory.resolve(immutableId + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        DataCollectionRule rule = read(immutableId, file);
        cache.put(immutableId, rule);
        return Optional.of(rule);
    }

    /** Every rule, ordered by immutable id. */
    public List<DataCollectionRule> list() throws IOException {
        List<DataCollectionRule> rules = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return rules;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (!fileName.endsWith(".json")) {
                    continue;
                }
                String immutableId = fileName.substring(0, fileName.length() - ".json".length());
                if (DataCollectionRule.IMMUTABLE_ID.matcher(immutableId).matches()) {
                    rules.add(read(immutableId, file));
                }
            }
        }
        return rules;
    }

    private DataCollectionRule read(String immutableId, Path file) throws IOException {
        JsonNode node = HttpExchange.JSON.readTree(Files.readString(file, UTF_8));
        if (!(node instanceof ObjectNode definition)) {
            throw new IOException(file + " does not hold a data collection rule object");
        }
        try {
            return DataCollectionRule.parse(immutableId, definition, builtIn);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a valid data collection rule: " + e.getMessage(), e);
        }
    }
}
