package io.vigil.detect.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SentinelRuleReaderTest {
    private static final String SCHEDULED = """
            id: 5d2f2d8c-7c1a-4d8f-9f3e-6b0a1c2d3e4f
            name: Audit log cleared
            description: |
              'The security audit log was cleared.'
            severity: High
            status: Available
            requiredDataConnectors:
              - connectorId: SecurityEvents
                dataTypes:
                  - SecurityEvent
            queryFrequency: 1h
            queryPeriod: 1d
            triggerOperator: gt
            triggerThreshold: 2
            tactics:
              - DefenseEvasion
            relevantTechniques:
              - T1070.001
            query: |
              SecurityEvent
              | where EventID == 1102
            entityMappings:
              - entityType: Host
                fieldMappings:
                  - identifier: FullName
                    columnName: Computer
              - entityType: Account
                fieldMappings:
                  - identifier: Name
                    columnName: SubjectUserName
                  - identifier: NTDomain
                    columnName: SubjectDomainName
            customDetails:
              Channel: Channel
              Activity: Activity
            alertDetailsOverride:
              alertDisplayNameFormat: Audit log cleared on {{Computer}}
              alertSeverityColumnName: Level
            eventGroupingSettings:
              aggregationKind: AlertPerResult
            incidentConfiguration:
              createIncident: true
              groupingConfiguration:
                enabled: true
                reopenClosedIncident: true
                lookbackDuration: 2h
                matchingMethod: Selected
                groupByEntities:
                  - Host
            suppressionEnabled: true
            suppressionDuration: 30m
            version: 1.0.1
            kind: Scheduled
            """;

    @Test
    void readsEveryFieldOfAScheduledRule() {
        RuleDocument.Analytic document = (RuleDocument.Analytic) only(SentinelRuleReader.read("a.yaml", SCHEDULED));
        AnalyticRule rule = document.rule();
        assertThat(document.diagnostics()).isEmpty();
        assertThat(rule.id()).isEqualTo("5d2f2d8c-7c1a-4d8f-9f3e-6b0a1c2d3e4f");
        assertThat(rule.severity()).isEqualTo(Severity.HIGH);
        assertThat(rule.kind()).isEqualTo(RuleKind.SCHEDULED);
        assertThat(rule.queryFrequency()).isEqualTo(Duration.ofHours(1));
        assertThat(rule.queryPeriod()).isEqualTo(Duration.ofDays(1));
        assertThat(rule.triggerOperator()).isEqualTo(TriggerOperator.GREATER_THAN);
        assertThat(rule.triggerThreshold()).isEqualTo(2);
        assertThat(rule.relevantTechniques()).containsExactly("T1070.001");
        assertThat(rule.entityMappings()).extracting(EntityMapping::entityType).containsExactly("Host", "Account");
        assertThat(rule.entityMappings().get(1).fieldMappings())
                .containsExactly(
                        new EntityMapping.FieldMapping("Name", "SubjectUserName"),
                        new EntityMapping.FieldMapping("NTDomain", "SubjectDomainName"));
        assertThat(rule.customDetails())
                .containsExactly(Map.entry("Channel", "Channel"), Map.entry("Activity", "Activity"));
        assertThat(rule.alertDetailsOverride().orElseThrow().alertDisplayNameFormat())
                .contains("Audit log cleared on {{Computer}}");
        assertThat(rule.alertDetailsOverride().orElseThrow().alertSeverityColumnName())
                .contains("Level");
        assertThat(rule.eventGrouping()).isEqualTo(EventGrouping.ALERT_PER_RESULT);
        IncidentConfiguration.GroupingConfiguration grouping =
                rule.incidentConfiguration().groupingConfiguration();
        assertThat(grouping.enabled()).isTrue();
        assertThat(grouping.reopenClosedIncident()).isTrue();
        assertThat(grouping.lookbackDuration()).isEqualTo(Duration.ofHours(2));
        assertThat(grouping.matchingMethod()).isEqualTo(MatchingMethod.SELECTED);
        assertThat(grouping.groupByEntities()).containsExactly("Host");
        assertThat(rule.suppressionEnabled()).isTrue();
        assertThat(rule.suppressionDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rule.requiredDataConnectors())
                .containsExactly(new DataConnector("SecurityEvents", List.of("SecurityEvent")));
        assertThat(rule.version()).contains("1.0.1");
        assertThat(rule.status()).contains("Available");
    }

    @Test
    void readsThePortalsArmExport() throws IOException {
        List<RuleDocument> documents = SentinelRuleReader.read("exported-rules.json", resource("exported-rules.json"));
        assertThat(documents)
                .extracting(RuleDocument::source)
                .containsExactly("exported-rules.json#1", "exported-rules.json#2", "exported-rules.json#3");

        AnalyticRule spray = ((RuleDocument.Analytic) documents.get(0)).rule();
        assertThat(spray.id()).isEqualTo("0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b");
        assertThat(spray.name()).isEqualTo("Password spray against many accounts");
        assertThat(spray.queryFrequency()).isEqualTo(Duration.ofHours(1));
        assertThat(spray.queryPeriod()).isEqualTo(Duration.ofDays(1));
        assertThat(spray.relevantTechniques()).containsExactly("T1110", "T1110.003");
        assertThat(spray.eventGrouping()).isEqualTo(EventGrouping.ALERT_PER_RESULT);
        assertThat(spray.incidentConfiguration().groupingConfiguration().lookbackDuration())
                .isEqualTo(Duration.ofHours(8));
        assertThat(spray.incidentConfiguration().groupingConfiguration().groupByCustomDetails())
                .containsExactly("Accounts");
        assertThat(spray.customDetails()).containsEntry("Accounts", "Accounts");
        assertThat(spray.enabled()).isTrue();

        AnalyticRule cleared = ((RuleDocument.Analytic) documents.get(1)).rule();
        assertThat(cleared.kind()).isEqualTo(RuleKind.NRT);
        assertThat(cleared.queryFrequency()).isEqualTo(AnalyticRule.NRT_INTERVAL);
        assertThat(cleared.enabled()).isFalse();
        assertThat(cleared.incidentConfiguration().createIncident()).isFalse();

        RuleDocument.Invalid fusion = (RuleDocument.Invalid) documents.get(2);
        assertThat(fusion.name()).contains("Advanced Multistage Attack Detection");
        assertThat(fusion.diagnostics().get(0).toString()).contains("'Fusion' is not a query rule");
    }

    @Test
    void aRuleOutsideSentinelsLimitsIsInvalidWithEveryProblemNamed() {
        String text = SCHEDULED
                .replace("queryFrequency: 1h", "queryFrequency: 1m")
                .replace("queryPeriod: 1d", "queryPeriod: 1x")
                .replace("severity: High", "severity: Critical")
                .replace("triggerThreshold: 2", "triggerThreshold: many");
        RuleDocument.Invalid invalid = (RuleDocument.Invalid) only(SentinelRuleReader.read("bad.yaml", text));
        assertThat(invalid.name()).contains("Audit log cleared");
        assertThat(invalid.diagnostics())
                .extracting(RuleDiagnostic::toString)
                .containsExactlyInAnyOrder(
                        "error invalid_value severity: 'Critical' is not one of Informational, Low, Medium, High",
                        "error invalid_value queryPeriod: '1x' is not a duration (5m, 1h, 14d or ISO-8601 such as PT5H, P1D)",
                        "error invalid_value triggerThreshold: expected a whole number, found 'many'");

        RuleDocument.Invalid tooOften = (RuleDocument.Invalid) only(
                SentinelRuleReader.read("often.yaml", SCHEDULED.replace("queryFrequency: 1h", "queryFrequency: 1m")));
        assertThat(tooOften.diagnostics())
                .extracting(RuleDiagnostic::toString)
                .containsExactly("error out_of_range queryFrequency: PT1M is outside PT5M to P14D (Sentinel's limit)");

        RuleDocument.Invalid lookback = (RuleDocument.Invalid) only(SentinelRuleReader.read(
                "lookback.yaml", SCHEDULED.replace("lookbackDuration: 2h", "lookbackDuration: 8d")));
        assertThat(lookback.diagnostics())
                .extracting(RuleDiagnostic::field)
                .containsExactly("incidentConfiguration.groupingConfiguration.lookbackDuration");
    }

    @Test
    void missingFieldsAreEachReported() {
        RuleDocument.Invalid invalid = (RuleDocument.Invalid)
                only(
                        SentinelRuleReader.read(
                                "empty.yaml",
                                "name: x\nqueryFrequency: 1h\nentityMappings:\n  - entityType: Planet\n    fieldMappings:\n      - identifier: Name\n        columnName: C\n"));
        assertThat(invalid.diagnostics())
                .extracting(RuleDiagnostic::toString)
                .containsExactlyInAnyOrder(
                        "error missing_field id: is required",
                        "error missing_field severity: is required",
                        "error missing_field query: is required",
                        "error missing_field queryPeriod: is required for a scheduled rule",
                        "error missing_field triggerOperator: is required for a scheduled rule",
                        "error missing_field triggerThreshold: is required for a scheduled rule",
                        "error invalid_value entityMappings.entityType: unknown entity type 'Planet'");
    }

    @Test
    void nrtRulesHaveAFixedScheduleAndScheduleFieldsAreIgnoredWithAWarning() {
        String text = SCHEDULED.replace("kind: Scheduled", "kind: NRT");
        RuleDocument.Analytic document = (RuleDocument.Analytic) only(SentinelRuleReader.read("nrt.yaml", text));
        assertThat(document.rule().queryPeriod()).isEqualTo(Duration.ofMinutes(1));
        assertThat(document.rule().triggerThreshold()).isZero();
        assertThat(document.diagnostics())
                .extracting(RuleDiagnostic::field)
                .containsExactly("queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold");
        assertThat(document.diagnostics()).noneMatch(RuleDiagnostic::error);
    }

    @Test
    void aFileWithoutAScheduleIsAHuntingQuery() {
        RuleDocument.Hunting hunting = (RuleDocument.Hunting) only(SentinelRuleReader.read(
                "hunt.yaml",
                "id: 1\nname: Rare processes\ndescription: d\ntactics: [Execution]\nquery: SecurityEvent | take 10\n"));
        assertThat(hunting.query().name()).isEqualTo("Rare processes");
        assertThat(hunting.query().tactics()).containsExactly("Execution");
    }

    @Test
    void brokenDocumentsAreDiagnosedNotThrown() {
        assertThat(only(SentinelRuleReader.read("x.yaml", "name: [unclosed\n"))
                        .diagnostics()
                        .get(0)
                        .toString())
                .startsWith("error invalid_document not valid YAML:")
                .contains("line 2");
        assertThat(only(SentinelRuleReader.read("x.json", "{\"resources\": ["))
                        .diagnostics()
                        .get(0)
                        .toString())
                .startsWith("error invalid_document not valid JSON:");
        assertThat(only(SentinelRuleReader.read("x.json", "{\"resources\": []}"))
                        .diagnostics()
                        .get(0)
                        .code())
                .isEqualTo(RuleDiagnostic.Code.INVALID_DOCUMENT);
        assertThat(only(SentinelRuleReader.read("x.yaml", "- a\n- b\n"))).isInstanceOf(RuleDocument.Invalid.class);
    }

    @Test
    void durationsInBothSpellings() {
        assertThat(RuleDurations.parse("5m")).contains(Duration.ofMinutes(5));
        assertThat(RuleDurations.parse("14d")).contains(Duration.ofDays(14));
        assertThat(RuleDurations.parse("PT5H")).contains(Duration.ofHours(5));
        assertThat(RuleDurations.parse("P1D")).contains(Duration.ofDays(1));
        assertThat(RuleDurations.parse("P1DT12H")).contains(Duration.ofHours(36));
        assertThat(RuleDurations.parse("1w")).isEqualTo(Optional.empty());
        assertThat(RuleDurations.format(Duration.ofDays(2))).isEqualTo("P2D");
        assertThat(RuleDurations.format(Duration.ofMinutes(90))).isEqualTo("PT1H30M");
    }

    private static RuleDocument only(List<RuleDocument> documents) {
        assertThat(documents).hasSize(1);
        return documents.get(0);
    }

    private static String resource(String name) throws IOException {
        try (InputStream input = SentinelRuleReaderTest.class.getResourceAsStream("/rules/" + name)) {
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
