package io.vigil.metrics;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and gauges shared by every transport, format and sink, rendered in the Prometheus text format.
 * Names follow STYLE.md: {@code events_received_total}, {@code events_failed_total{reason}}, {@code
 * bytes_received_total}, each labelled with the component that counts. {@link #snapshot()} hands the same
 * series to views built on them (the per-source health view), so nothing is counted twice.
 */
public final class Metrics {
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();

    /** One series as it is now. */
    public record Series(String name, Map<String, String> labels, long value) {
        public Series {
            requireNonNull(name, "name is null");
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }

        /** A label's value, "" when the series does not have it. */
        public String label(String label) {
            return labels.getOrDefault(label, "");
        }
    }

    private record Counter(String name, String[] labels, LongAdder adder) {}

    private record Gauge(String name, String[] labels, AtomicLong value) {}

    /** A counter; {@code labels} are name/value pairs and keep their order. */
    public LongAdder counter(String name, String... labels) {
        String key = seriesKey(name, labels);
        return counters.computeIfAbsent(key, ignored -> new Counter(name, labels.clone(), new LongAdder()))
                .adder();
    }

    /** A gauge: a value that is set, such as a lag or a depth; same label rules as {@link #counter}. */
    public AtomicLong gauge(String name, String... labels) {
        String key = seriesKey(name, labels);
        return gauges.computeIfAbsent(key, ignored -> new Gauge(name, labels.clone(), new AtomicLong()))
                .value();
    }

    public void describe(String name, String text) {
        help.put(name, text);
    }

    /** The value of one counter or gauge series, 0 when it was never counted or set. */
    public long value(String name, String... labels) {
        String key = seriesKey(name, labels);
        Counter counter = counters.get(key);
        if (counter != null) {
            return counter.adder().sum();
        }
        Gauge gauge = gauges.get(key);
        if (gauge != null) {
            return gauge.value().get();
        }
        return 0;
    }

    /** Every series of {@code name} (counter or gauge) with its labels and current value. */
    public List<Series> snapshot(String name) {
        requireNonNull(name, "name is null");
        List<Series> series = new ArrayList<>();
        counters.values().forEach(counter -> {
            if (counter.name().equals(name)) {
                series.add(new Series(
                        name, labelMap(counter.labels()), counter.adder().sum()));
            }
        });
        gauges.values().forEach(gauge -> {
            if (gauge.name().equals(name)) {
                series.add(
                        new Series(name, labelMap(gauge.labels()), gauge.value().get()));
            }
        });
        return series;
    }

    /** Every series in the Prometheus text exposition format 0.0.4, sorted for stable output. */
    public String renderPrometheus() {
        Map<String, Map<String, Long>> byName = new TreeMap<>();
        Map<String, String> types = new TreeMap<>();
        counters.forEach((key, counter) -> {
            byName.computeIfAbsent(counter.name(), ignored -> new TreeMap<>())
                    .put(key, counter.adder().sum());
            types.put(counter.name(), "counter");
        });
        gauges.forEach((key, gauge) -> {
            byName.computeIfAbsent(gauge.name(), ignored -> new TreeMap<>())
                    .put(key, gauge.value().get());
            types.put(gauge.name(), "gauge");
        });
        StringBuilder out = new StringBuilder();
        byName.forEach((name, series) -> {
            String text = help.get(name);
            if (text != null) {
                out.append("# HELP ").append(name).append(' ').append(text).append('\n');
            }
            out.append("# TYPE ")
                    .append(name)
                    .append(' ')
                    .append(types.get(name))
                    .append('\n');
            series.forEach(
                    (key, value) -> out.append(key).append(' ').append(value).append('\n'));
        });
        return out.toString();
    }

    private static Map<String, String> labelMap(String[] labels) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return map;
    }

    private static String seriesKey(String name, String[] labels) {
        requireNonNull(name, "name is null");
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        if (labels.length == 0) {
            return name;
        }
        StringBuilder key = new StringBuilder(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (i > 0) {
                key.append(',');
            }
            key.append(labels[i]).append("=\"");
            String value = labels[i + 1];
            for (int j = 0; j < value.length(); j++) {
                char c = value.charAt(j);
                switch (c) {
                    case '\\' -> key.append("\\\\");
                    case '"' -> key.append("\\\"");
                    case '\n' -> key.append("\\n");
                    default -> key.append(c);
                }
            }
            key.append('"');
        }
        return key.append('}').toString();
    }
}
