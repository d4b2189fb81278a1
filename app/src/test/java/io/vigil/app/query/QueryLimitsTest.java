package io.vigil.app.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.QueryException;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryResult;
import io.vigil.spi.ErrorCategory;
import io.vigil.spi.StandardErrorCode;
import io.vigil.store.DuckDbStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results beyond the row or size limit, or still being read when the time runs out, are cut and reported
 * as partial, as Log Analytics does; a query that runs out of time before any row is a QUERY_TIMEOUT.
 */
class QueryLimitsTest {
    /** Four 20-character values: 80 bytes by the service's count. */
    private static final String FOUR_ROWS =
            "datatable(s:string) ['aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccc',"
                    + " 'dddddddddddddddddddd'] | order by s asc";

    @TempDir
    static Path dataDir;

    static DuckDbStore store;

    @BeforeAll
    static void open() throws Exception {
        store = QueryFixtures.openWithFixtures(dataDir);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static QueryResult run(int maxRows, long maxBytes, String query) throws InterruptedException {
        QueryService service = new QueryService(
                store, QueryFixtures.CLOCK, new QueryLimits(QueryService.DEFAULT_TIMEOUT, maxRows, maxBytes));
        return service.execute(query, Optional.empty());
    }

    @Test
    void resultsWithinTheLimitsAreComplete() throws Exception {
        QueryResult result = run(4, 80, FOUR_ROWS);

        assertThat(result.rows()).hasSize(4);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void rowsBeyondTheRecordLimitAreCut() throws Exception {
        QueryResult result = run(3, QueryLimits.DEFAULT.maxBytes(), FOUR_ROWS);

        assertThat(result.rows())
                .containsExactly(
                        List.of("aaaaaaaaaaaaaaaaaaaa"),
                        List.of("bbbbbbbbbbbbbbbbbbbb"),
                        List.of("cccccccccccccccccccc"));
        assertThat(result.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo("E_QUERY_RESULT_SET_TOO_LARGE");
            assertThat(warning.message()).contains("record count limit of 3");
            assertThat(warning.hasPosition()).isFalse();
        });
    }

    @Test
    void rowsBeyondTheSizeLimitAreCut() throws Exception {
        QueryResult result = run(1000, 50, FOUR_ROWS);

        assertThat(result.rows()).containsExactly(List.of("aaaaaaaaaaaaaaaaaaaa"), List.of("bbbbbbbbbbbbbbbbbbbb"));
        assertThat(result.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo("E_QUERY_RESULT_SET_TOO_LARGE");
            assertThat(warning.message())
                    .contains("data size limit of 50 bytes")
                    .contains("after 2 records");
        });
    }

    @Test
    void kqlWarningsComeBackWithTheRows() throws Exception {
        QueryResult result = run(
                1000,
                QueryLimits.DEFAULT.maxBytes(),
                "union isfuzzy=true (datatable(a:long) [1]),\n  (NoSuchTable | where b > 1)");

        assertThat(result.rows()).containsExactly(List.of(1L));
        assertThat(result.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo("KQL216");
            assertThat(warning.message()).contains("KQL201").contains("NoSuchTable");
            assertThat(warning.line()).isEqualTo(2);
            assertThat(warning.column()).isEqualTo(3);
        });
    }

    /** About 10^11 joined rows: far longer than any timeout here, so only the timeout can end it early. */
    static final String SLOW_QUERY = "range x from 1 to 100000 step 1 | extend k = 1"
            + " | join kind=inner (range y from 1 to 1000000 step 1 | extend k = 1) on k | count";

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aQueryOverTheTimeLimitIsCancelledWithATimeoutError() {
        long started = System.nanoTime();
        QueryService service = new QueryService(
                store,
                QueryFixtures.CLOCK,
                new QueryLimits(Duration.ofMillis(300), 1000, QueryLimits.DEFAULT.maxBytes()));
        assertThatThrownBy(() -> service.execute(SLOW_QUERY, Optional.empty()))
                .isInstanceOfSatisfying(QueryException.class, exception -> {
                    assertThat(exception.errorCode()).isEqualTo(StandardErrorCode.QUERY_TIMEOUT);
                    assertThat(exception.errorCode().category()).isEqualTo(ErrorCategory.RESOURCE);
                    assertThat(exception.getMessage()).isEqualTo("Query exceeded the timeout of 300 ms");
                    assertThat(QueryService.responseCode(exception)).isEqualTo(504);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    /**
     * A clock that moves one second each time it is read: the rows' reading, which looks at the clock every
     * few rows, runs out of time after a few hundred rows, whatever the machine's speed.
     */
    private static final class SteppingClock extends Clock {
        private Instant now = QueryFixtures.NOW;

        @Override
        public synchronized Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("one zone");
        }
    }

    @Test
    void rowsReadWhenTheTimeRunsOutAreAPartialResult() throws Exception {
        QueryService service = new QueryService(
                store,
                new SteppingClock(),
                new QueryLimits(Duration.ofSeconds(20), 1_000_000, QueryLimits.DEFAULT.maxBytes()));
        QueryResult result = service.execute("range x from 1 to 100000 step 1", Optional.empty());

        assertThat(result.rows()).isNotEmpty().hasSizeLessThan(100_000);
        assertThat(result.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo("GatewayTimeout");
            assertThat(warning.message())
                    .isEqualTo("Query exceeded the timeout of 20 seconds; the result was truncated after "
                            + result.rows().size() + " records");
        });
    }

    @Test
    void limitsAreDescribedAsPeopleWriteThem() {
        assertThat(QueryLimits.describe(Duration.ofMinutes(3))).isEqualTo("3 minutes");
        assertThat(QueryLimits.describe(Duration.ofSeconds(90))).isEqualTo("90 seconds");
        assertThat(QueryLimits.describe(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(QueryLimits.describe(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    }
}
