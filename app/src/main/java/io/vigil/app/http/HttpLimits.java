package io.vigil.app.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The limits of the HTTP server and its ingestion endpoints, checked when the server is built. Each has a
 * {@code vigil server} / {@code vigil demo} flag of the same name ({@code HttpLimitFlags}); together they
 * bound what one client, or all of them, can hold: connections, threads, header and body memory, time.
 *
 * @param idleTimeout a connection that sends nothing for this long is closed (between requests, within
 *     headers, within a body); a request waiting for its body then gets 408
 * @param headerTimeout a request's headers must arrive whole within this time from their first byte, or the
 *     connection gets 408 and is closed (a client trickling a header byte at a time never hits the idle
 *     timeout); at most the idle timeout
 * @param minBodyBytesPerSecond a body may take the idle timeout plus one second per this many bytes it has
 *     brought, or the request gets 408 (a trickle that never pauses for the idle timeout); 0 = only the
 *     idle timeout
 * @param maxConnections open connections at most; beyond it the server stops accepting and new connections
 *     wait in the operating system's backlog until one closes
 * @param maxHeaderBytes request line and headers at most; more gets 431
 * @param maxThreads request threads at most (Jetty's pool; its acceptors and selectors come out of it too)
 * @param maxInFlightBodyBytes request body bytes held at once by all ingestion requests together; a
 *     request that would pass it gets 503 with Retry-After, one larger than it gets 413
 * @param rateLimit requests per second per ingestion source (endpoint and principal)
 * @param anonymousInputs the ingestion inputs the admin opened to senders without credentials (none by
 *     default): {@code data_collector} takes requests without a SharedKey, {@code logs_ingestion} without a
 *     bearer key, {@code appinsights} envelopes of any instrumentation key. Credentials that are sent are
 *     still checked, and a wrong one is still refused.
 * @param authLockout how many failed authentications an address may have in a window before every request
 *     from it that needs a credential is answered 429 for a while
 */
public record HttpLimits(
        Duration idleTimeout,
        Duration headerTimeout,
        long minBodyBytesPerSecond,
        int maxConnections,
        int maxHeaderBytes,
        int maxThreads,
        long maxInFlightBodyBytes,
        RateLimit rateLimit,
        Set<String> anonymousInputs,
        AuthLockout authLockout) {

    /** The ingestion inputs that can be opened to anonymous senders, by their {@code input} label. */
    public static final Set<String> INPUTS = Set.of("data_collector", "appinsights", "logs_ingestion");

    /**
     * Generous for senders on a network, tight enough that slow or idle clients cannot hold the server: the
     * header size and thread count are Jetty's own defaults, the header timeout is Apache httpd's
     * mod_reqtimeout default (20 s), the body budget a quarter of a 1 GB heap; no rate limit.
     */
    public static final HttpLimits DEFAULT = new HttpLimits(
            Duration.ofSeconds(30),
            Duration.ofSeconds(20),
            1024,
            1024,
            8192,
            200,
            256L * 1024 * 1024,
            RateLimit.OFF,
            Set.of(),
            AuthLockout.DEFAULT);

    /** Jetty needs a few threads of its pool for acceptors and selectors before any request runs. */
    public static final int MIN_THREADS = 8;

    /** The Logs Ingestion API's largest body (1 MB) must fit in the budget, or no such request could pass. */
    static final long MIN_IN_FLIGHT_BODY_BYTES = 1024 * 1024;

    /** Below this not even a SharedKey request's headers fit. */
    static final int MIN_HEADER_BYTES = 1024;

    public HttpLimits {
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(headerTimeout, "headerTimeout is null");
        requireNonNull(rateLimit, "rateLimit is null");
        requireNonNull(authLockout, "authLockout is null");
        anonymousInputs = Set.copyOf(anonymousInputs);
        for (String input : anonymousInputs) {
            if (!INPUTS.contains(input)) {
                throw new IllegalArgumentException("'" + input + "' is not an ingestion input that can be opened"
                        + " to anonymous senders: use " + String.join(", ", new TreeSet<>(INPUTS)));
            }
        }
        requirePositive("idle timeout", idleTimeout);
        requirePositive("header timeout", headerTimeout);
        if (headerTimeout.compareTo(idleTimeout) > 0) {
            // else headers that stop would be closed by the idle timeout, silently, before their 408
            throw new IllegalArgumentException("the header timeout (" + headerTimeout
                    + ") must not be longer than the idle timeout (" + idleTimeout + ")");
        }
        if (minBodyBytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "the minimum body rate must be 0 (off) or positive, not " + minBodyBytesPerSecond);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("at most " + maxConnections + " connections: must be at least 1");
        }
        if (maxHeaderBytes < MIN_HEADER_BYTES) {
            throw new IllegalArgumentException(
                    "request headers of at most " + maxHeaderBytes + " bytes: must be at least " + MIN_HEADER_BYTES);
        }
        if (maxThreads < MIN_THREADS) {
            throw new IllegalArgumentException("at most " + maxThreads + " threads: must be at least " + MIN_THREADS);
        }
        if (maxInFlightBodyBytes < MIN_IN_FLIGHT_BODY_BYTES) {
            throw new IllegalArgumentException("in-flight body bytes of at most " + maxInFlightBodyBytes
                    + ": must be at least " + MIN_IN_FLIGHT_BODY_BYTES + " (the Logs Ingestion API's 1 MB body)");
        }
    }

    private static void requirePositive(String what, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, not " + duration);
        }
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return DEFAULT.toBuilder();
    }

    /** A builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Sets the limits one by one; {@link #build} checks them together. */
    public static final class Builder {
        private Duration idleTimeout;
        private Duration headerTimeout;
        private long minBodyBytesPerSecond;
        private int maxConnections;
        private int maxHeaderBytes;
        private int maxThreads;
        private long maxInFlightBodyBytes;
        private RateLimit rateLimit;
        private Set<String> anonymousInputs;
        private AuthLockout authLockout;

        private Builder(HttpLimits from) {
            idleTimeout = from.idleTimeout;
            headerTimeout = from.headerTimeout;
            minBodyBytesPerSecond = from.minBodyBytesPerSecond;
            maxConnections = from.maxConnections;
            maxHeaderBytes = from.maxHeaderBytes;
            maxThreads = from.maxThreads;
            maxInFlightBodyBytes = from.maxInFlightBodyBytes;
            rateLimit = from.rateLimit;
            anonymousInputs = from.anonymousInputs;
            authLockout = from.authLockout;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder headerTimeout(Duration value) {
            headerTimeout = value;
            return this;
        }

        public Builder minBodyBytesPerSecond(long value) {
            minBodyBytesPerSecond = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder maxHeaderBytes(int value) {
            maxHeaderBytes = value;
            return this;
        }

        public Builder maxThreads(int value) {
            maxThreads = value;
            return this;
        }

        public Builder maxInFlightBodyBytes(long value) {
            maxInFlightBodyBytes = value;
            return this;
        }

        public Builder rateLimit(RateLimit value) {
            rateLimit = value;
            return this;
        }

        public Builder anonymousInputs(Set<String> value) {
            anonymousInputs = value;
            return this;
        }

        public Builder authLockout(AuthLockout value) {
            authLockout = value;
            return this;
        }

        public HttpLimits build() {
            return new HttpLimits(
                    idleTimeout,
                    headerTimeout,
                    minBodyBytesPerSecond,
                    maxConnections,
                    maxHeaderBytes,
                    maxThreads,
                    maxInFlightBodyBytes,
                    rateLimit,
                    anonymousInputs,
                    authLockout);
        }
    }

    /**
     * The lockout after failed authentications, per client address (issue 16: "failed authentication is
     * rate-limited per source"): after {@code maxFailures} failures within {@code window}, every request
     * from that address that needs a credential gets 429 with Retry-After until {@code lockout} has passed,
     * without its credential being checked, so a guesser learns nothing in the meantime; other addresses,
     * and requests that need no credential ({@code /health}, the UI's files), are unaffected.
     *
     * @param maxFailures failures allowed within the window; 0 = no lockout
     */
    public record AuthLockout(int maxFailures, Duration window, Duration lockout) {
        /** Thirty failures a minute is far beyond a mistyped key and far below a guesser's rate. */
        public static final AuthLockout DEFAULT = new AuthLockout(30, Duration.ofMinutes(1), Duration.ofMinutes(1));

        public AuthLockout {
            requireNonNull(window, "window is null");
            requireNonNull(lockout, "lockout is null");
            if (maxFailures < 0) {
                throw new IllegalArgumentException(
                        "failed authentications before a lockout must be 0 (off) or positive, not " + maxFailures);
            }
            // checked here, not with HttpLimits.requirePositive: touching HttpLimits would initialise its DEFAULT,
            // which needs this class's DEFAULT, while this class is still being initialised
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("the authentication failure window must be positive, not " + window);
            }
            if (lockout.isNegative() || lockout.isZero()) {
                throw new IllegalArgumentException("the authentication lockout must be positive, not " + lockout);
            }
        }

        public boolean enabled() {
            return maxFailures > 0;
        }
    }

    /**
     * A token bucket per ingestion source: {@code burst} requests at once, refilled at
     * {@code requestsPerSecond}. A request that finds the bucket empty gets 429 with Retry-After.
     *
     * @param requestsPerSecond the sustained rate; 0 = no limit
     * @param burst requests a source may send at once after being quiet
     */
    public record RateLimit(double requestsPerSecond, int burst) {
        /** No limit: Azure's own per-DCR limit (12,000 requests a minute) is for a multi-tenant service. */
        public static final RateLimit OFF = new RateLimit(0, 100);

        public RateLimit {
            if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
                throw new IllegalArgumentException(
                        "the request rate must be 0 (off) or a positive number, not " + requestsPerSecond);
            }
            if (burst < 1) {
                throw new IllegalArgumentException("a burst of " + burst + " requests: must be at least 1");
            }
        }

        public boolean enabled() {
            return requestsPerSecond > 0;
        }
    }
}
