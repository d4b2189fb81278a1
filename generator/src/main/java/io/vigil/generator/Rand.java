package io.vigil.generator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Seeded randomness. Every writer gets its own stream derived from the seed and a fixed salt, so
 * one writer consuming more numbers never shifts another writer's output.
 */
final class Rand {
    private final SplittableRandom random;

    private Rand(SplittableRandom random) {
        this.random = random;
    }

    static Rand of(long seed, String stream) {
        // string hash codes are specified by the JLS, so the salt is stable across JVMs
        long salt = stream.hashCode() * 0x9E3779B97F4A7C15L;
        return new Rand(new SplittableRandom(seed ^ salt));
    }

    int between(int lowInclusive, int highExclusive) {
        return random.nextInt(lowInclusive, highExclusive);
    }

    long between(long lowInclusive, long highExclusive) {
        return random.nextLong(lowInclusive, highExclusive);
    }

    double unit() {
        return random.nextDouble();
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Random version-4 style GUID, lower case, as Azure prints them. */
    String guid() {
        long high = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    String hex(int digits) {
        StringBuilder builder = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            builder.append(Character.forDigit(random.nextInt(16), 16));
        }
        return builder.toString().toUpperCase(Locale.ROOT);
    }

    /** Uniform instant with 100 ns resolution (the resolution of Windows and Azure timestamps). */
    Instant instant(Instant startInclusive, Instant endExclusive) {
        long ticks = (endExclusive.getEpochSecond() - startInclusive.getEpochSecond()) * 10_000_000L;
        if (ticks <= 0) {
            return startInclusive;
        }
        long offset = random.nextLong(ticks);
        return startInclusive.plusNanos(offset * 100);
    }

    /**
     * Instant within the window, denser during office hours (07:00-19:00 UTC) so a day of logs has a
     * recognisable daily curve.
     */
    Instant busyInstant(Instant startInclusive, Instant endExclusive) {
        while (true) {
            Instant candidate = instant(startInclusive, endExclusive);
            int hour = (int) ((candidate.getEpochSecond() / 3600) % 24);
            double weight = 0.25;
            if (hour >= 7 && hour < 19) {
                weight = 1.0;
            }
            if (random.nextDouble() < weight) {
                return candidate;
            }
        }
    }

    /** Public-looking client address from a few broadband ranges, for internet background noise. */
    String internetAddress() {
        int[] firstOctets = {45, 62, 77, 89, 91, 103, 110, 125, 141, 176, 185, 193, 194, 212};
        return firstOctets[random.nextInt(firstOctets.length)] + "." + random.nextInt(1, 255) + "."
                + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
    }
}
