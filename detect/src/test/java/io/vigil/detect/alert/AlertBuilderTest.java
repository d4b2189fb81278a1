package io.vigil.detect.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AlertBuilderTest {
    private static final AnalyticRule RULE = ((RuleDocument.Analytic) SentinelRuleReader.readYaml("test", """
                    id: 0b1c2d3e-0000-4000-8000-0000000000aa
                    name: New service installed
                    description: Event 7045.
                    severity: Medium
                    queryFrequency: 1h
                    queryPeriod: 1h
                    triggerOperator: gt
                    triggerThreshold: 0
                    query: Event | where EventID == 7045
                    eventGroupingSettings:
                      aggregationKind: AlertPerResult
                    """)).rule();
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final RuleWindow WINDOW =
            new RuleWindow(Instant.parse("2026-12-05T09:00:00Z"), Instant.parse("2026-12-05T10:00:00Z"));

    @Test
    void theSameWindowAndRowsGiveTheSameAlertIdsAndAnotherWindowOthers() {
        ResultRows rows = new ResultRows(List.of("Computer"), List.of(List.of("web01"), List.of("web02")));
        List<String> first = ids(AlertBuilder.build(RULE, rows, WINDOW, NOW));
        List<String> again = ids(AlertBuilder.build(RULE, rows, WINDOW, NOW.plusSeconds(3600)));
        List<String> later = ids(AlertBuilder.build(
                RULE, rows, new RuleWindow(WINDOW.end(), WINDOW.end().plusSeconds(3600)), NOW));
        assertThat(first).hasSize(2).doesNotHaveDuplicates().isEqualTo(again);
        assertThat(later).hasSize(2).doesNotContainAnyElementsOf(first);
    }

    @Test
    void alertPerResultStopsAtSentinelsCapOf150PerRun() {
        List<List<Object>> many = IntStream.range(0, 400)
                .mapToObj(index -> List.<Object>of("host" + index))
                .toList();
        assertThat(AlertBuilder.build(RULE, new ResultRows(List.of("Computer"), many), WINDOW, NOW))
                .hasSize(AlertBuilder.MAXIMUM_ALERTS_PER_RUN);
    }

    private static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(Alert::systemAlertId).toList();
    }
}
