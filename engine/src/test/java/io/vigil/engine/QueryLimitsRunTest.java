package io.vigil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.spi.StandardErrorCode;
import io.vigil.testing.TestingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's limits on a run: rows, size, timeout and cancellation. */
class QueryLimitsRunTest {
    static final Instant NOW = Instant.parse("2026-01-11T00:00:00Z");

    /** About 10^11 joined rows: far longer than any test waits, so only a timeout or a cancel ends it. */
    static final String SLOW_QUERY = "range x from 1 to 100000 step 1 | extend k = 1"
            + " | join kind=inner (range y from 1 to 1000000 step 1 | extend k = 1) on k | count";

    static InMemorySource source;
    static KqlEngine engine;

    @BeforeAll
    static void open() throws Exception {
        source = new InMemorySource();
        engine = KqlEngine.builder(source).clock(new TestingClock(NOW)).build();
    }

    @AfterAll
    static void close() throws Exception {
        source.close();
    }

    private static QueryResult run(String text, QueryLimits limits) throws InterruptedException {
        return engine.run(engine.compileOrThrow(text, QueryParameters.at(NOW)), limits, QueryCancellation.none());
    }

    @Test
    void rowsBeyondTheRecordLimitAreCutWithAWarning() throws Exception {
        QueryResult result = run("range x from 1 to 10 step 1", new QueryLimits(Duration.ofMinutes(1), 4, 1_000));

        assertThat(result.rows()).hasSize(4);
        assertThat(result.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo(QueryWarning.RESULT_TOO_LARGE);
            assertThat(warning.message()).contains("record count limit of 4 records");
        });
    }

    @Test
    void rowsBeyondTheSizeLimitAreCutWithAWarning() throws Exception {
        // each row is one 8-byte long: 40 bytes hold 5 rows
        QueryResult result = run("range x from 1 to 10 step 1", new QueryLimits(Duration.ofMinutes(1), 1_000, 40));

        assertThat(result.rows()).hasSize(5);
        assertThat(result.warnings())
                .singleElement()
                .satisfies(warning -> assertThat(warning.message())
                        .contains("internal data size limit of 40 bytes; the result was truncated after 5 records"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aQueryOverItsTimeoutStopsWithATimeoutError() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> run(SLOW_QUERY, new QueryLimits(Duration.ofMillis(300), 10, 1_000)))
                .isInstanceOfSatisfying(QueryException.class, exception -> {
                    assertThat(exception.errorCode()).isEqualTo(StandardErrorCode.QUERY_TIMEOUT);
                    assertThat(exception.getMessage()).isEqualTo("Query exceeded the timeout of 300 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCancelledQueryStopsInTheDatabase() throws Exception {
        CompiledQuery query = engine.compileOrThrow(SLOW_QUERY, QueryParameters.at(NOW));
        QueryCancellation cancellation = new QueryCancellation();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try {
                engine.run(query, new QueryLimits(Duration.ofMinutes(10), 10, 1_000), cancellation);
            } catch (Throwable exception) {
                failure.set(exception);
            }
        });
        // whether the cancel comes before the statement starts or while it runs, the run ends as cancelled
        Thread.sleep(200);
        long cancelled = System.nanoTime();
        cancellation.cancel();
        running.get(30, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(30));
        assertThat(failure.get())
                .isInstanceOfSatisfying(
                        QueryException.class,
                        exception -> assertThat(exception.errorCode()).isEqualTo(StandardErrorCode.QUERY_CANCELLED));
    }

    @Test
    void aQueryCancelledBeforeItRunsDoesNotRun() {
        QueryCancellation cancellation = new QueryCancellation();
        cancellation.cancel();

        assertThatThrownBy(() -> engine.run(
                        engine.compileOrThrow("print 1", QueryParameters.at(NOW)), QueryLimits.DEFAULT, cancellation))
                .isInstanceOfSatisfying(
                        QueryException.class,
                        exception -> assertThat(exception.errorCode()).isEqualTo(StandardErrorCode.QUERY_CANCELLED));
    }

    @Test
    void aDatabaseFailureIsAStoreFailure() {
        KqlEngine broken = KqlEngine.builder(new InMemorySource.Closed()).build();
        CompiledQuery query = broken.compileOrThrow("print 1", QueryParameters.at(NOW));

        assertThatThrownBy(() -> broken.run(query, QueryLimits.DEFAULT, QueryCancellation.none()))
                .isInstanceOfSatisfying(
                        QueryException.class,
                        exception -> assertThat(exception.errorCode()).isEqualTo(StandardErrorCode.STORE_FAILURE));
    }

    @Test
    void limitsAreDescribedAsPeopleWriteThem() {
        assertThat(QueryLimits.describe(Duration.ofMinutes(3))).isEqualTo("3 minutes");
        assertThat(QueryLimits.describe(Duration.ofSeconds(90))).isEqualTo("90 seconds");
        assertThat(QueryLimits.describe(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(QueryLimits.describe(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    }
}
