package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.StandardErrorCode;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Where a running query stands against its timeout, for the reader of its rows. */
public final class RunState {
    private final Optional<Duration> timeout;
    private final BooleanSupplier expired;

    RunState(Optional<Duration> timeout, BooleanSupplier expired) {
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.expired = requireNonNull(expired, "expired is null");
    }

    /** Whether the query's time is up (by the database's timer or the engine's clock). */
    public boolean expired() {
        return expired.getAsBoolean();
    }

    /** The error of a query that timed out before it had anything to show. */
    public QueryException timedOut(Throwable cause) {
        return new QueryException(
                StandardErrorCode.QUERY_TIMEOUT, "Query exceeded the timeout of " + describeTimeout(), cause);
    }

    /** The warning of a result cut by the timeout after {@code records} records. */
    QueryWarning timeoutWarning(int records) {
        return QueryWarning.engine(
                QueryWarning.TIMEOUT,
                "Query exceeded the timeout of " + describeTimeout() + "; the result was truncated after " + records
                        + " records");
    }

    private String describeTimeout() {
        return timeout.map(QueryLimits::describe).orElse("none");
    }
}
