package io.vigil.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.store.DuckDbStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results beyond the row or size limit are cut and reported as partial, as Log Analytics does. */
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
        try (QueryService service = new QueryService(
                store, QueryFixtures.CLOCK, new QueryLimits(QueryService.DEFAULT_TIMEOUT, maxRows, maxBytes))) {
            return service.execute(query, Optional.empty());
        }
    }

    @Test
    void resultsWithinTheLimitsAreComplete() throws Exception {
        QueryResult result = run(4, 80, FOUR_ROWS);

        assertThat(result.rows()).hasSize(4);
        assertThat(result.warning()).isEmpty();
    }

    @Test
    void rowsBeyondTheRecordLimitAreCut() throws Exception {
        QueryResult result = run(3, QueryLimits.DEFAULT.maxBytes(), FOUR_ROWS);

        assertThat(result.rows())
                .containsExactly(
                        List.of("aaaaaaaaaaaaaaaaaaaa"),
                        List.of("bbbbbbbbbbbbbbbbbbbb"),
                        List.of("cccccccccccccccccccc"));
        assertThat(result.warning())
                .hasValueSatisfying(warning -> assertThat(warning).contains("record count limit of 3"));
    }

    @Test
    void rowsBeyondTheSizeLimitAreCut() throws Exception {
        QueryResult result = run(1000, 50, FOUR_ROWS);

        assertThat(result.rows()).containsExactly(List.of("aaaaaaaaaaaaaaaaaaaa"), List.of("bbbbbbbbbbbbbbbbbbbb"));
        assertThat(result.warning())
                .hasValueSatisfying(warning -> assertThat(warning)
                        .contains("data size limit of 50 bytes")
                        .contains("after 2 records"));
    }
}
