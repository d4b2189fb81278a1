package io.vigil.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where admin and responder actions are recorded (key, rule, DCR, sink and incident changes, retention
 * deletions): each becomes one row of the {@code SentinelAudit} table, committed through the store like any row,
 * so the integrity chain covers it. A new action calls {@link #record} once after it succeeded, with a stable
 * dotted action name ({@code area.verb}, e.g. {@code sinks.add}) and the target's state before and after as
 * JSON (empty where there is none: nothing before a create, nothing after a delete). Never put a secret in it.
 */
public interface AuditLog {
    /** Records one action; throws only when the action cannot be recorded at all (then it should fail). */
    void record(Actor actor, String action, String target, Optional<String> before, Optional<String> after);

    /**
     * Who did it and from where: the principal of an HTTP request and its source address, {@code cli} with the
     * operating-system user for a command, or the system itself (retention).
     */
    record Actor(String name, String source) {
        public Actor {
            requireNonNull(name, "name is null");
            requireNonNull(source, "source is null");
        }

        /** A command run by the operating-system user of this process. */
        public static Actor cli() {
            return new Actor(System.getProperty("user.name", "unknown"), "cli");
        }

        /** Vigil itself (retention, scheduled work). */
        public static Actor system() {
            return new Actor("vigil", "system");
        }
    }
}
