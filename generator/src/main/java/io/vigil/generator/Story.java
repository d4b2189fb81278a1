package io.vigil.generator;

import java.time.Duration;
import java.time.Instant;

/**
 * When each step of the attack story happens. In a window of 12 hours or more the story starts ten
 * hours before {@code end}; in shorter windows it starts a fifth of the way in and its gaps shrink
 * so the whole story still fits. The spray always stays within 20 minutes.
 */
final class Story {
    /** Default offsets from the story start, in seconds, before compression. */
    static final int SPRAY_START = 0;

    static final int SPRAY_END = 900;
    static final int RISKY_SIGN_IN = 1800;
    static final int APP_CREATED = 2700;
    static final int ROLE_ASSIGNED = 3000;
    static final int ROGUE_SP_SIGN_IN = 3300;
    static final int NSG_RULE_OPENED = 3600;
    static final int RDP_LOGON = 4200;
    static final int EXFIL_START = 4800;
    static final int EXFIL_END = 5400;
    static final int SERVICE_INSTALLED = 6000;
    static final int BACKDOOR_USER = 6300;
    static final int AUDIT_LOG_CLEARED = 6600;

    private static final int STORY_SPAN = 6900;

    private final Instant start;
    private final double factor;
    private final Instant windowEnd;

    Story(GeneratorOptions options) {
        long windowSeconds = options.hours() * 3600L;
        this.windowEnd = options.end();
        if (options.hours() >= 12) {
            this.start = options.end().minus(Duration.ofHours(10));
            this.factor = 1.0;
        } else {
            this.start = options.start().plusSeconds(windowSeconds / 5);
            this.factor = Math.min(1.0, windowSeconds * 0.7 / STORY_SPAN);
        }
    }

    /** Instant of a story offset (seconds, uncompressed). */
    Instant at(double offsetSeconds) {
        long nanos = Math.round(offsetSeconds * factor * 1_000_000_000L);
        // keep 100 ns resolution so Windows and Azure timestamps render exactly
        nanos = nanos - (nanos % 100);
        return start.plusNanos(nanos);
    }

    Instant start() {
        return start;
    }

    Instant windowEnd() {
        return windowEnd;
    }
}
