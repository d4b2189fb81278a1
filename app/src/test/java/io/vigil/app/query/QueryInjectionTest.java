package io.vigil.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.CompiledQuery;
import io.vigil.engine.QueryResult;
import io.vigil.store.DuckDbStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile text in literals and bracketed names never changes the SQL's structure: the SQL of a query
 * with a hostile value equals the SQL of the same query with a harmless one, the value only travels as
 * a parameter, and the query runs and finds nothing.
 */
class QueryInjectionTest {
    static final List<String> HOSTILE = List.of(
            "'; DROP TABLE SigninLogs; --",
            "\\'; DROP TABLE SigninLogs; --",
            "\" OR 1=1 --",
            "x' OR '1'='1",
            "\\\\",
            "a\\nb",
            "$[*]",
            "/a~1b",
            ".*(?i)");

    @TempDir
    static Path dataDir;

    static DuckDbStore store;
    static QueryService service;

    @BeforeAll
    static void open() throws Exception {
        store = QueryFixtures.openWithFixtures(dataDir);
        service = new QueryService(store, QueryFixtures.CLOCK, QueryService.DEFAULT_TIMEOUT, 1000);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static String kqlString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Test
    void hostileLiteralsAreParameters() throws Exception {
        List<String> templates = List.of(
                "SigninLogs | where UserPrincipalName == %s",
                "SigninLogs | where UserPrincipalName has %s | project UserPrincipalName",
                "SigninLogs | where UserPrincipalName contains %s or IPAddress startswith %s",
                "SigninLogs | where UserPrincipalName in~ (%s, 'x')",
                "SigninLogs | where UserPrincipalName matches regex %s",
                "SigninLogs | extend v = tostring(LocationDetails[%s]) | where v == %s",
                "print x = strcat(%s, %s)");
        for (String template : templates) {
            String harmless = String.format(template, "'harmless'", "'harmless'");
            String baseline = service.compile(harmless, Optional.empty()).sql().sql();
            for (String value : HOSTILE) {
                String literal = kqlString(value);
                String query = String.format(template, literal, literal);
                CompiledQuery compiled = service.compile(query, Optional.empty());
                assertThat(compiled.sql().sql()).as("SQL of %s", query).isEqualTo(baseline);
                assertThat(compiled.sql().sql()).doesNotContain("DROP");
                service.execute(query, Optional.empty());
            }
        }
        assertThat(store.rowCounts().get("SigninLogs")).isEqualTo(5L);
    }

    @Test
    void hostileNamesAreQuotedIdentifiers() throws Exception {
        for (String value : HOSTILE) {
            String name = value.replace("\\", "\\\\").replace("'", "\\'");
            String query = "SigninLogs | project ['" + name + "'] = UserPrincipalName | take 1";
            QueryResult result = service.execute(query, Optional.empty());
            assertThat(result.columns().get(0).name()).isEqualTo(value);
            assertThat(result.rows()).hasSize(1);
        }
        QueryResult quoted = service.execute("print ['a\"b'] = 1, ['A\"B'] = 2", Optional.empty());
        assertThat(quoted.columns()).extracting(QueryResult.ResultColumn::name).containsExactly("a\"b", "A\"B");
        assertThat(quoted.rows().get(0)).containsExactly(1L, 2L);
        assertThat(store.rowCounts().get("SigninLogs")).isEqualTo(5L);
    }
}
