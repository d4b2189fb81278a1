package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A smoke test of {@code vigil bench detect} with a light background load and a few probes: every probe's
 * alert arrives (the command fails otherwise), and the percentiles and the last line are printed.
 */
class DetectBenchCommandTest {
    @Test
    void shortRunPrintsLatencyPercentilesAndP99Last() {
        CliRun run = CliRun.run(
                "bench",
                "detect",
                "--rate",
                "1000",
                "--batch",
                "100",
                "--senders",
                "1",
                "--probes",
                "4",
                "--warmup",
                "1");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.get(0)).startsWith("background: 1,000 events/s requested over the Data Collector API");
        assertThat(lines)
                .anyMatch(
                        line -> line.matches("background achieved: [\\d,]+ events/s over .* \\(0 failed requests\\)"));
        assertThat(lines)
                .anyMatch(line ->
                        line.matches("ack -> alert stored: p50 \\d+ ms, p90 \\d+ ms, p99 \\d+ ms, max \\d+ ms"));
        assertThat(lines.get(lines.size() - 1)).matches("p99_ms=\\d+");
    }
}
