package io.vigil.app.http;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed authentications per client address, and the addresses locked out for having too many ({@link
 * HttpLimits.AuthLockout}). Only the address is kept, never what was presented. At most {@link
 * #MAX_ADDRESSES} addresses are remembered; the least recently failing one is forgotten first, so a spray from
 * very many addresses costs bounded memory (each of those addresses is then limited only by its own rate).
 */
public final class AuthLockouts {
    static final int MAX_ADDRESSES = 4096;

    private final HttpLimits.AuthLockout limit;
    private final Clock clock;
    private final Map<String, Failures> byAddress = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public AuthLockouts(HttpLimits.AuthLockout limit, Clock clock) {
        this.limit = requireNonNull(limit, "limit is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Counts a failed authentication from {@code address}; the one that reaches the limit starts the lockout.
     * Returns whether this failure started it.
     */
    public synchronized boolean failed(String address) {
        if (!limit.enabled()) {
            return false;
        }
        Instant now = clock.instant();
        Failures failures = byAddress.get(address);
        if (failures != null && failures.lockedUntil != null && now.isBefore(failures.lockedUntil)) {
            // refused while locked out: such requests are not checked, so they are not failures either
            return false;
        }
        if (failures == null
                || failures.lockedUntil != null
                || !now.isBefore(failures.windowStart.plus(limit.window()))) {
            failures = new Failures(now);
            byAddress.put(address, failures);
        }
        failures.count++;
        if (failures.count >= limit.maxFailures()) {
            failures.lockedUntil = now.plus(limit.lockout());
            return true;
        }
        return false;
    }

    /** The limit it applies. */
    public HttpLimits.AuthLockout limit() {
        return limit;
    }

    /** How long {@code address} is still locked out, empty when it is not. */
    public synchronized Optional<Duration> lockedFor(String address) {
        Failures failures = byAddress.get(address);
        if (failures == null || failures.lockedUntil == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(failures.lockedUntil)) {
            // served: the address starts afresh
            byAddress.remove(address);
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, failures.lockedUntil));
    }

    private static final class Failures {
        final Instant windowStart;
        int count;
        Instant lockedUntil;

        Failures(Instant windowStart) {
            this.windowStart = windowStart;
        }
    }
}
