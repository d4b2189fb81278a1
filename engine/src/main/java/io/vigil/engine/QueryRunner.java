package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.QuerySource;
import io.vigil.spi.StandardErrorCode;
import io.vigil.sql.SqlStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs SQL on a connection of a source with its parameters bound, a timeout armed and a cancellation
 * listened to; a timeout, a cancellation or a database error is a {@link QueryException}
 * ({@link StoreErrors} tells the caller's errors from the store's).
 */
final class QueryRunner {
    /**
     * One timer thread for every engine of the process: a timer only cancels statements, and engines are
     * made per request where the source is (a DCR transform's input).
     */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "vigil-query-timeout");
        thread.setDaemon(true);
        return thread;
    });

    /** How often a cancel is sent again until the statement ends. */
    private static final Duration CANCEL_REPEAT = Duration.ofMillis(50);

    private final QuerySource source;
    private final Clock clock;

    QueryRunner(QuerySource source, Clock clock) {
        this.source = requireNonNull(source, "source is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Runs {@code sql} and hands its rows to {@code reader}. The database's execution is cancelled by a
     * real-time timer after {@code timeout} (none when empty); reading back also checks the engine's clock,
     * through {@link RunState#expired()}.
     */
    <T> T run(
            String queryText,
            SqlStatement sql,
            Optional<Duration> timeout,
            QueryCancellation cancellation,
            RowReader<T> reader)
            throws InterruptedException {
        if (cancellation.isCancelled()) {
            throw cancelled(null);
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        Optional<Instant> deadline = timeout.map(limit -> clock.instant().plus(limit));
        RunState state = new RunState(
                timeout,
                () -> timedOut.get()
                        || deadline.map(end -> clock.instant().isAfter(end)).orElse(false));
        try (Connection connection = source.newQueryConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(sql.sql())) {
                List<Object> parameters = sql.parameters();
                for (int index = 0; index < parameters.size(); index++) {
                    statement.setObject(index + 1, parameters.get(index));
                }
                Optional<ScheduledFuture<?>> timer = timeout.map(limit -> TIMER.schedule(
                        () -> {
                            timedOut.set(true);
                            cancel(statement);
                        },
                        limit.toMillis(),
                        TimeUnit.MILLISECONDS));
                AtomicReference<ScheduledFuture<?>> cancelling = new AtomicReference<>();
                // a cancel that lands before the database started the statement does nothing there, so it is
                // repeated until the statement ends
                Runnable keepCancelling = () -> cancelling.set(TIMER.scheduleWithFixedDelay(
                        () -> cancel(statement), 0, CANCEL_REPEAT.toMillis(), TimeUnit.MILLISECONDS));
                try (QueryCancellation.AutoCloseableListener listening = cancellation.whenCancelled(keepCancelling);
                        ResultSet rows = statement.executeQuery()) {
                    T result = reader.read(rows, state);
                    if (cancellation.isCancelled()) {
                        throw cancelled(null);
                    }
                    return result;
                } finally {
                    timer.ifPresent(future -> future.cancel(false));
                    Optional.ofNullable(cancelling.get()).ifPresent(future -> future.cancel(false));
                }
            }
        } catch (SQLException exception) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("query interrupted");
            }
            if (cancellation.isCancelled()) {
                throw cancelled(exception);
            }
            if (timedOut.get()) {
                throw state.timedOut(exception);
            }
            throw StoreErrors.classify(exception, queryText);
        }
    }

    private static void cancel(PreparedStatement statement) {
        try {
            statement.cancel();
        } catch (SQLException ignored) {
            // the statement finished meanwhile
        }
    }

    private static QueryException cancelled(Throwable cause) {
        return new QueryException(StandardErrorCode.QUERY_CANCELLED, "Query was cancelled", cause);
    }

    /**
     * A schema probe the binder asks for while binding (bag_unpack, pivot): its rows as text, under the engine's
     * probe timeout. Binding cannot throw InterruptedException, so an interrupt is kept on the thread and
     * the probe fails.
     */
    List<List<String>> probe(SqlStatement sql, Duration timeout) {
        try {
            return run("", sql, Optional.of(timeout), QueryCancellation.none(), (rows, state) -> {
                List<List<String>> result = new ArrayList<>();
                int width = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    List<String> row = new ArrayList<>(width);
                    for (int index = 1; index <= width; index++) {
                        row.add(rows.getString(index));
                    }
                    result.add(row);
                }
                return result;
            });
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new QueryException(StandardErrorCode.INTERNAL_ERROR, "schema probe interrupted", interrupted);
        }
    }
}
