package io.vigil.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.CompiledQuery;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryCancellation;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryResult;
import io.vigil.store.DuckDbStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code search} over several tables looks for a term in each table's own columns (issue 10): one filter over
 * the whole union's columns made DuckDB test every table for every column of every table.
 */
class SearchCostTest {
    private static final Pattern TERM_TEST = Pattern.compile("regexp_matches\\(");

    @TempDir
    Path dataDir;

    @Test
    void eachTableIsSearchedInItsOwnColumnsOnly() throws Exception {
        try (DuckDbStore store = QueryFixtures.openWithFixtures(dataDir)) {
            KqlEngine engine =
                    KqlEngine.builder(store).clock(QueryFixtures.CLOCK).build();
            CompiledQuery query = engine.compileOrThrow(
                    "search in (SigninLogs, SecurityEvent) \"alice\"", engine.parameters(Optional.empty()));

            int ownColumns = store.catalog().require("SigninLogs").columns().size()
                    + store.catalog().require("SecurityEvent").columns().size();
            assertThat(count(query.sql().sql())).isEqualTo(ownColumns);

            // the same rows as searching each table on its own ("T | search" filters the table directly)
            long separately = count(engine, "SigninLogs | search \"alice\" | count")
                    + count(engine, "SecurityEvent | search \"alice\" | count");
            QueryResult result = engine.run(query, QueryLimits.DEFAULT, QueryCancellation.none());
            assertThat(separately).isGreaterThan(3);
            assertThat(result.rows()).hasSize((int) separately);
        }
    }

    private static long count(KqlEngine engine, String kql) throws Exception {
        QueryResult result = engine.execute(kql, engine.parameters(Optional.empty()), QueryLimits.DEFAULT);
        return ((Number) result.rows().get(0).get(0)).longValue();
    }

    private static int count(String sql) {
        Matcher matcher = TERM_TEST.matcher(sql);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
