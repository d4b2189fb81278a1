package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import io.vigil.app.http.HttpLimits;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per ingestion source ({@code --http-rate-limit}, {@code --http-rate-burst}). A source is
 * an endpoint and, where the endpoint authenticates before reading the body, the principal: the
 * workspace of a SharedKey signature (Data Collector API), the API key (Logs Ingestion API). Application
 * Insights carries its key inside the body, so its endpoint is one source. Buckets are made only for
 * authenticated principals, so their number is bounded by the configured keys.
 */
final class RateLimiter {
    /** What a request finds: a token, or the time until the next one. */
    sealed interface Decision permits Decision.Admitted, Decision.Limited {
        record Admitted() implements Decision {}

        /** @param retryAfter until a token is available again, at least a second (Retry-After counts seconds) */
        record Limited(Duration retryAfter) implements Decision {
            public Limited {
                requireNonNull(retryAfter, "retryAfter is null");
            }

            /** Whole seconds for the Retry-After header, rounded up. */
            int retryAfterSeconds() {
                return (int) Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            }
        }
    }

    private static final Decision ADMITTED = new Decision.Admitted();

    private final HttpLimits.RateLimit limit;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(HttpLimits.RateLimit limit, LongSupplier nanoTime) {
        this.limit = requireNonNull(limit, "limit is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    static RateLimiter of(HttpLimits.RateLimit limit) {
        return new RateLimiter(limit, System::nanoTime);
    }

    /** Takes a token from the source's bucket, {@code input} and {@code principal} naming the source. */
    Decision acquire(String input, String principal) {
        if (!limit.enabled()) {
            return ADMITTED;
        }
        Bucket bucket =
                buckets.computeIfAbsent(input + "\u0000" + principal, ignored -> new Bucket(nanoTime.getAsLong()));
        return bucket.acquire(nanoTime.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(long now) {
            this.tokens = limit.burst();
            this.refilledAt = now;
        }

        synchronized Decision acquire(long now) {
            double elapsedSeconds = Math.max(0, now - refilledAt) / 1e9;
            tokens = Math.min(limit.burst(), tokens + elapsedSeconds * limit.requestsPerSecond());
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return ADMITTED;
            }
            double waitSeconds = (1 - tokens) / limit.requestsPerSecond();
            return new Decision.Limited(Duration.ofNanos((long) Math.ceil(waitSeconds * 1e9)));
        }
    }
}
