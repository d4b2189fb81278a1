package io.vigil.generator;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a generator run wrote: events per kind (stable snake_case names), every file in path order,
 * and the total.
 */
public record GenerationSummary(SortedMap<String, Long> eventsByKind, List<Path> files, long totalEvents) {
    public GenerationSummary {
        requireNonNull(eventsByKind, "eventsByKind is null");
        requireNonNull(files, "files is null");
        eventsByKind = Collections.unmodifiableSortedMap(new TreeMap<>(eventsByKind));
        files = List.copyOf(files);
    }
}
