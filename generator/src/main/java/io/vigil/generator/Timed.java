package io.vigil.generator;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** A rendered record and the instant it happened, so writers can sort and bucket by hour. */
record Timed<T>(Instant time, T value) {
    Timed {
        requireNonNull(time, "time is null");
        requireNonNull(value, "value is null");
    }

    /** Stable sort by time (ties keep generation order), then grouped by the UTC hour they fall in. */
    static <T> SortedMap<Instant, List<T>> byHour(List<Timed<T>> records) {
        List<Timed<T>> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(Timed::time));
        SortedMap<Instant, List<T>> hours = new TreeMap<>();
        for (Timed<T> record : sorted) {
            hours.computeIfAbsent(Timestamps.truncateToHour(record.time()), ignored -> new ArrayList<>())
                    .add(record.value());
        }
        return hours;
    }

    static <T> List<T> sortedValues(List<Timed<T>> records) {
        List<Timed<T>> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(Timed::time));
        List<T> values = new ArrayList<>(sorted.size());
        for (Timed<T> record : sorted) {
            values.add(record.value());
        }
        return values;
    }
}
