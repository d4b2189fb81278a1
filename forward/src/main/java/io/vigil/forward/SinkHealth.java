package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@code vigil sinks list} and the health API show for one sink.
 *
 * @param sent messages the receiver accepted
 * @param failed delivery attempts that failed (each is retried)
 * @param retried batches sent again after a failure
 * @param deadLettered messages set aside (too long for the transport, or not encodable)
 * @param position the last batch acknowledged, durable across restarts
 * @param caughtUp whether every committed batch has been handled
 * @param lagSeconds how long ago the oldest batch it still has to deliver was committed (0 when caught up)
 * @param lagEvents rows of its routed tables committed after its position, not delivered yet (counted before
 *     a route's filter)
 * @param lastError the last failure's text, if any
 */
public record SinkHealth(
        String name,
        String type,
        String endpoint,
        long sent,
        long failed,
        long retried,
        long deadLettered,
        long position,
        boolean caughtUp,
        long lagSeconds,
        long lagEvents,
        Optional<String> lastError,
        Optional<Instant> lastErrorTime) {
    public SinkHealth {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(lastErrorTime, "lastErrorTime is null");
    }
}
