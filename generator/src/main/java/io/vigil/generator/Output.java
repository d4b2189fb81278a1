package io.vigil.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Where writers put files and count events; keeps everything ordered so runs are reproducible. */
final class Output {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final List<Path> files = new ArrayList<>();
    private final SortedMap<String, Long> counts = new TreeMap<>();

    Output(Path root) {
        this.root = root;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    static String json(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String relativePath, String content) throws IOException {
        Path file = root.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        files.add(file);
    }

    /** NDJSON: one compact JSON record per line, as diagnostic settings write blobs since November 2018. */
    void writeLines(String relativePath, List<?> nodes) throws IOException {
        StringBuilder builder = new StringBuilder();
        for (Object node : nodes) {
            builder.append(json(node)).append('\n');
        }
        write(relativePath, builder.toString());
    }

    /** The {"records":[...]} envelope of activity log and NSG flow log blobs. */
    void writeRecordsEnvelope(String relativePath, List<ObjectNode> nodes) throws IOException {
        ObjectNode envelope = object();
        ArrayNode records = envelope.putArray("records");
        nodes.forEach(records::add);
        write(relativePath, json(envelope) + "\n");
    }

    void count(String kind, long events) {
        counts.merge(kind, events, Long::sum);
    }

    GenerationSummary summary() {
        List<Path> sorted = new ArrayList<>(files);
        sorted.sort(null);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new GenerationSummary(counts, sorted, total);
    }
}
