package io.vigil.ingest;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * What received an input, as metric labels: the transport ({@code input}, e.g. {@code kafka}) and, where one
 * transport serves several configured endpoints, which one ({@code source}: a DCR stream, a Kafka topic, a
 * watched folder). Both are low-cardinality: they come from configuration, never from the data.
 *
 * @param input the transport's stable snake_case name
 * @param source the endpoint within the transport, "" when the transport has one
 */
public record IngestInput(String input, String source) {
    public IngestInput {
        requireNonNull(input, "input is null");
        requireNonNull(source, "source is null");
    }

    public static IngestInput of(String input) {
        return new IngestInput(input, "");
    }

    /** The metric labels {@code input} and (when set) {@code source}, followed by {@code more} pairs. */
    public String[] labels(String... more) {
        List<String> labels = new ArrayList<>(4 + more.length);
        labels.add("input");
        labels.add(input);
        if (!source.isEmpty()) {
            labels.add("source");
            labels.add(source);
        }
        labels.addAll(List.of(more));
        return labels.toArray(new String[0]);
    }
}
