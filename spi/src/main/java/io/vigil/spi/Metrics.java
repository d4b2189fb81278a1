package io.vigil.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shared by every transport, format and sink, rendered in the Prometheus text format. Names
 * follow STYLE.md: {@code events_received_total}, {@code events_failed_total{reason}}, {@code
 * bytes_received_total}, each labelled with the component that counts.
 */
public final class Metrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();

    /** A counter; {@code labels} are name/value pairs and keep their order. */
    public LongAdder counter(String name, String... labels) {
        requireNonNull(name, "name is null");
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        return counters.computeIfAbsent(seriesKey(name, labels), key -> new LongAdder());
    }

    public void describe(String name, String text) {
        help.put(name, text);
    }

    /** The value of one series, 0 when it was never counted. */
    public long value(String name, String... labels) {
        LongAdder adder = counters.get(seriesKey(name, labels));
        if (adder == null) {
            return 0;
        }
        return adder.sum();
    }

    /** Every series in the Prometheus text exposition format 0.0.4, sorted for stable output. */
    public String renderPrometheus() {
        Map<String, Map<String, Long>> byName = new TreeMap<>();
        counters.forEach((key, adder) -> {
            int brace = key.indexOf('{');
            String name = key;
            if (brace >= 0) {
                name = key.substring(0, brace);
            }
            byName.computeIfAbsent(name, ignored -> new TreeMap<>()).put(key, adder.sum());
        });
        StringBuilder out = new StringBuilder();
        byName.forEach((name, series) -> {
            String text = help.get(name);
            if (text != null) {
                out.append("# HELP ").append(name).append(' ').append(text).append('\n');
            }
            out.append("# TYPE ").append(name).append(" counter\n");
            series.forEach(
                    (key, value) -> out.append(key).append(' ').append(value).append('\n'));
        });
        return out.toString();
    }

    private static String seriesKey(String name, String[] labels) {
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
