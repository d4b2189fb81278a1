package io.vigil.generator;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What to generate: the window {@code [end - hours, end)}, the seed every random choice derives
 * from, and a multiplier for background volume (the attack story is never scaled).
 */
public record GeneratorOptions(Instant end, int hours, long seed, double scale) {
    public static final int DEFAULT_HOURS = 24;
    public static final long DEFAULT_SEED = 42;
    public static final double DEFAULT_SCALE = 1.0;

    public GeneratorOptions {
        requireNonNull(end, "end is null");
        if (hours < 1 || hours > 168) {
            throw new IllegalArgumentException("hours must be between 1 and 168, was " + hours);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be a positive finite number, was " + scale);
        }
    }

    public static GeneratorOptions defaults(Instant end) {
        return new GeneratorOptions(end, DEFAULT_HOURS, DEFAULT_SEED, DEFAULT_SCALE);
    }

    public Instant start() {
        return end.minusSeconds(hours * 3600L);
    }
}
