package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes all ingestion requests may hold at once ({@code --http-max-inflight-body-bytes}):
 * a request reserves its body before reading it (its Content-Length, or chunk by chunk when it sends
 * none) and its inflated body too, and gives everything back when it has been answered. So memory for
 * bodies is bounded however many senders arrive at once; a request that finds the budget spent is
 * answered 503 with Retry-After instead of being buffered.
 */
final class BodyBudget {
    private final long capacity;
    private final AtomicLong reserved;

    /** @param reserved the bytes reserved now: the gauge {@code http_body_bytes_in_flight} of /metrics */
    BodyBudget(long capacity, AtomicLong reserved) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a body budget of " + capacity + " bytes: must be positive");
        }
        this.capacity = capacity;
        this.reserved = requireNonNull(reserved, "reserved is null");
        reserved.set(0);
    }

    long capacity() {
        return capacity;
    }

    /** Bytes reserved now, by all requests. */
    long reserved() {
        return reserved.get();
    }

    /** Reserves {@code bytes} if the budget has them left; never blocks. */
    boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
        }
        while (true) {
            long current = reserved.get();
            if (current + bytes > capacity) {
                return false;
            }
            if (reserved.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        long after = reserved.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException("released more body bytes than were reserved: " + after);
        }
    }
}
