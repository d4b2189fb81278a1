package io.vigil.formats;

import io.vigil.spi.LogFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of built-in log formats: one explicit entry per format, no classpath scanning. */
public final class LogFormats {
    private static final List<LogFormat> BUILT_IN = List.of(new JsonTableFormat());

    private final Map<String, LogFormat> byName;

    private LogFormats(List<LogFormat> formats) {
        Map<String, LogFormat> map = new LinkedHashMap<>();
        for (LogFormat format : formats) {
            if (map.put(format.name(), format) != null) {
                throw new IllegalStateException("duplicate format name " + format.name());
            }
        }
        this.byName = map;
    }

    public static LogFormats builtIn() {
        return new LogFormats(BUILT_IN);
    }

    public List<LogFormat> all() {
        return List.copyOf(byName.values());
    }

    public Optional<LogFormat> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The format most confident that {@code head} is its own, or empty when none scores above zero.
     * Ties go to the format registered first.
     */
    public Optional<LogFormat> detect(byte[] head) {
        LogFormat best = null;
        int bestScore = 0;
        for (LogFormat format : byName.values()) {
            int score = format.detect(head);
            if (score > bestScore) {
                best = format;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }
}
