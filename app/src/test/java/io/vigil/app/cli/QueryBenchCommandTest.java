package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A smoke test of {@code vigil bench query} on a small table: every query line, then the ratio. */
class QueryBenchCommandTest {
    @Test
    void smallRunPrintsOneLinePerQueryAndTheRatio() {
        CliRun run = CliRun.run("bench", "query", "--rows", "20000", "--runs", "1");
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.get(0)).startsWith("rows: 20000 SigninLogs rows loaded in ");
        assertThat(lines.subList(1, lines.size() - 1))
                .hasSize(5)
                .allMatch(line -> line.matches(
                        "\\w+: kql \\d+\\.\\d ms, sql \\d+\\.\\d ms, ratio \\d+\\.\\d\\d \\(\\d+ rows\\)"));
        assertThat(lines.get(lines.size() - 1)).matches("ratio=\\d+\\.\\d\\d");
    }
}
