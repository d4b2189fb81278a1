package io.vigil.detect.alert;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.catalog.TableCatalog;
import io.vigil.detect.incident.Incident;
import io.vigil.detect.incident.IncidentGrouper;
import io.vigil.detect.incident.IncidentStatus;
import io.vigil.detect.incident.IncidentUpdate;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Detection behaviour files ({@code src/test/resources/behaviour/*.yaml}): a Sentinel rule, then steps,
 * each either a run (a fixed {@code now}, the window, the query's result rows) with the SecurityAlert and
 * SecurityIncident rows it must write, or a person's update of an incident. Expected rows list only the
 * columns they check; a column name ending in {@code ~} (or {@code ~~}, …, to check one column twice) checks that the value contains the text, and
 * {@code alerts} checks the number of AlertIds of an incident.
 */
class AlertBehaviourTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CASES = Path.of("src/test/resources/behaviour");
    private static final TableSchema SECURITY_ALERT = TableCatalog.builtIn().require("SecurityAlert");
    private static final TableSchema SECURITY_INCIDENT = TableCatalog.builtIn().require("SecurityIncident");

    static Stream<Path> cases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            List<Path> sorted = files.filter(file -> file.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
            assertThat(sorted).isNotEmpty();
            return sorted.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void behaves(Path file) throws IOException {
        Map<String, Object> spec = (Map<String, Object>)
                new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file, UTF_8));
        AnalyticRule rule = rule((String) spec.get("rule"));
        List<String> columns = (List<String>) spec.get("columns");
        Map<Integer, Incident> incidents = new LinkedHashMap<>();
        int stepNumber = 0;
        for (Map<String, Object> step : (List<Map<String, Object>>) spec.get("steps")) {
            stepNumber++;
            String where = file.getFileName() + " step " + stepNumber;
            Instant now = Instant.parse((String) step.get("now"));
            List<Incident> written = new ArrayList<>();
            if (step.containsKey("update")) {
                Map<String, Object> update = (Map<String, Object>) step.get("update");
                Incident incident = incidents.get((Integer) update.get("incident"));
                written.add(incident.update(
                        new IncidentUpdate(
                                text(update, "status").flatMap(IncidentStatus::fromName),
                                text(update, "owner"),
                                text(update, "classification"),
                                text(update, "classificationReason"),
                                Optional.empty(),
                                text(update, "comment")),
                        now));
            } else {
                List<String> window = (List<String>) step.get("window");
                List<List<Object>> rows = (List<List<Object>>) step.getOrDefault("rows", List.of());
                List<Alert> alerts = AlertBuilder.build(
                        rule,
                        new ResultRows(columns, rows),
                        new RuleWindow(Instant.parse(window.get(0)), Instant.parse(window.get(1))),
                        now);
                check(
                        where + " alerts",
                        alerts.stream()
                                .map(alert -> alert.toRow(SECURITY_ALERT))
                                .toList(),
                        step,
                        "alerts");
                written.addAll(IncidentGrouper.group(
                        rule, alerts, List.copyOf(incidents.values()), incidents.size() + 1, now));
            }
            written.forEach(incident -> incidents.put(incident.number(), incident));
            check(
                    where + " incidents",
                    written.stream()
                            .map(incident -> incident.toRow(SECURITY_INCIDENT, now, "Vigil", ""))
                            .toList(),
                    step,
                    "incidents");
        }
    }

    @SuppressWarnings("unchecked")
    private static void check(String where, List<Row> actual, Map<String, Object> step, String key) throws IOException {
        if (!step.containsKey(key)) {
            return;
        }
        List<Map<String, Object>> expected = (List<Map<String, Object>>) step.get(key);
        assertThat(actual).as(where + ": row count").hasSize(expected.size());
        for (int index = 0; index < expected.size(); index++) {
            Row row = actual.get(index);
            for (Map.Entry<String, Object> cell : expected.get(index).entrySet()) {
                String column = cell.getKey();
                String want = String.valueOf(cell.getValue());
                String description = where + " row " + (index + 1) + " " + column;
                if (column.equals("alerts")) {
                    assertThat(JSON.readTree(row.get("AlertIds").toString()).size())
                            .as(description)
                            .isEqualTo(Integer.parseInt(want));
                } else if (column.endsWith("~")) {
                    assertThat(String.valueOf(row.get(column.replaceAll("~+$", ""))))
                            .as(description)
                            .contains(want);
                } else {
                    assertThat(String.valueOf(row.get(column))).as(description).isEqualTo(want);
                }
            }
        }
    }

    private static Optional<String> text(Map<String, Object> map, String key) {
        return Optional.ofNullable(map.get(key)).map(String::valueOf);
    }

    private static AnalyticRule rule(String yaml) {
        RuleDocument document = SentinelRuleReader.readYaml("behaviour", yaml);
        assertThat(document).isInstanceOf(RuleDocument.Analytic.class);
        return ((RuleDocument.Analytic) document).rule();
    }
}
