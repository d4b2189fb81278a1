package io.vigil.detect.library;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDurations;
import io.vigil.detect.sigma.SigmaConversion;
import io.vigil.detect.sigma.SigmaCorrelation;
import io.vigil.detect.sigma.SigmaDocument;
import io.vigil.detect.sigma.SigmaRule;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A converted Sigma rule as a Sentinel scheduled analytic rule, written as the alertRules REST object the library
 * stores (so it is read back, listed and run like any imported rule):
 *
 * <ul>
 *   <li>id: the Sigma {@code id}, else a name-based UUID of the title;
 *   <li>severity: {@code level} informational, low, medium, high as Sentinel's; critical as High (Sentinel has
 *       no higher); no level as Medium;
 *   <li>schedule: a detection rule every 5 minutes over 5 minutes (Sentinel's shortest; aligned windows, so
 *       each event is in exactly one); a correlation every and over the smallest multiple of its timespan that
 *       is at least 5 minutes, so each window holds whole {@code bin(TimeGenerated, timespan)} buckets;
 *   <li>trigger: more than 0 results, one alert per window ({@code SingleAlert});
 *   <li>tags: {@code attack.t1059} and {@code attack.t1059.001} as techniques and sub-techniques,
 *       {@code attack.credential-access} (or {@code _}) as the tactic CredentialAccess; other tags (groups,
 *       software, cve, …) are left out.
 * </ul>
 */
final class SigmaAnalyticRules {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SHORTEST = AnalyticRule.MINIMUM_INTERVAL;
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern TECHNIQUE = Pattern.compile("t\\d{4}(\\.\\d{3})?");

    /** MITRE ATT&CK tactic short names (as Sigma tags them) to Sentinel's tactic names. */
    private static final Map<String, String> TACTICS = Map.ofEntries(
            Map.entry("reconnaissance", "Reconnaissance"),
            Map.entry("resource-development", "ResourceDevelopment"),
            Map.entry("initial-access", "InitialAccess"),
            Map.entry("execution", "Execution"),
            Map.entry("persistence", "Persistence"),
            Map.entry("privilege-escalation", "PrivilegeEscalation"),
            Map.entry("defense-evasion", "DefenseEvasion"),
            Map.entry("credential-access", "CredentialAccess"),
            Map.entry("discovery", "Discovery"),
            Map.entry("lateral-movement", "LateralMovement"),
            Map.entry("collection", "Collection"),
            Map.entry("command-and-control", "CommandAndControl"),
            Map.entry("exfiltration", "Exfiltration"),
            Map.entry("impact", "Impact"),
            Map.entry("inhibit-response-function", "InhibitResponseFunction"),
            Map.entry("impair-process-control", "ImpairProcessControl"));

    private SigmaAnalyticRules() {}

    /** What a Sigma document says about itself, whichever kind it is. */
    private record Metadata(
            String title,
            Optional<String> id,
            Optional<String> level,
            Optional<String> description,
            List<String> tags) {}

    /** The rule's REST object text, or why the Sigma document cannot be one (an unknown level). */
    static Result toRestObject(SigmaDocument document, SigmaConversion.Converted converted) {
        Metadata metadata;
        Duration schedule = SHORTEST;
        switch (document) {
            case SigmaDocument.Rule rule -> metadata = metadata(rule.rule());
            case SigmaDocument.Correlation correlation -> {
                SigmaCorrelation model = correlation.correlation();
                metadata = new Metadata(model.title(), model.id(), model.level(), model.description(), model.tags());
                schedule = correlationSchedule(model.timespan());
            }
            case SigmaDocument.Invalid invalid ->
                throw new IllegalArgumentException("an invalid Sigma document has no conversion: " + invalid);
        }
        Optional<String> severity = severity(metadata.level());
        if (severity.isEmpty()) {
            return new Result.Refused("level '" + metadata.level().orElse("")
                    + "' is not a Sigma level (informational, low, medium, high, critical)");
        }
        String id = metadata.id()
                .filter(value -> RULE_ID.matcher(value).matches())
                .orElseGet(() -> UUID.nameUUIDFromBytes(("sigma:" + metadata.title()).getBytes(UTF_8))
                        .toString());
        ObjectNode root = JSON.createObjectNode();
        root.put("name", id);
        root.put("type", "Microsoft.SecurityInsights/alertRules");
        root.put("kind", "Scheduled");
        // where the rule came from; the rule reader does not read it
        root.putObject("sigma")
                .put("source", converted.source())
                .put("table", converted.table())
                .put("id", metadata.id().orElse(""));
        ObjectNode properties = root.putObject("properties");
        properties.put("displayName", metadata.title());
        properties.put("description", metadata.description().orElse("").strip());
        properties.put("severity", severity.get());
        properties.put("enabled", true);
        properties.put("query", converted.kql());
        properties.put("queryFrequency", RuleDurations.format(schedule));
        properties.put("queryPeriod", RuleDurations.format(schedule));
        properties.put("triggerOperator", "GreaterThan");
        properties.put("triggerThreshold", 0);
        properties.put("suppressionEnabled", false);
        properties.put("suppressionDuration", RuleDurations.format(AnalyticRule.DEFAULT_SUPPRESSION));
        ArrayNode tactics = properties.putArray("tactics");
        ArrayNode techniques = properties.putArray("techniques");
        for (String tag : metadata.tags()) {
            String lower = tag.strip().toLowerCase(Locale.ROOT);
            if (!lower.startsWith("attack.")) {
                continue;
            }
            String name = lower.substring("attack.".length());
            if (TECHNIQUE.matcher(name).matches()) {
                addOnce(techniques, name.toUpperCase(Locale.ROOT));
            } else if (TACTICS.containsKey(name.replace('_', '-'))) {
                addOnce(tactics, TACTICS.get(name.replace('_', '-')));
            }
        }
        properties.putObject("eventGroupingSettings").put("aggregationKind", "SingleAlert");
        try {
            return new Result.Written(
                    id, metadata.title(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a rule object", e);
        }
    }

    /** The REST object of a converted rule, or the reason there is none. */
    sealed interface Result {
        record Written(String id, String title, String json) implements Result {}

        record Refused(String reason) implements Result {}
    }

    static String title(SigmaDocument document) {
        return switch (document) {
            case SigmaDocument.Rule rule -> rule.rule().title();
            case SigmaDocument.Correlation correlation ->
                correlation.correlation().title();
            case SigmaDocument.Invalid invalid -> invalid.title().orElse("-");
        };
    }

    private static Metadata metadata(SigmaRule rule) {
        return new Metadata(rule.title(), rule.id(), rule.level(), rule.description(), rule.tags());
    }

    private static Optional<String> severity(Optional<String> level) {
        if (level.isEmpty()) {
            return Optional.of("Medium");
        }
        return switch (level.get().strip().toLowerCase(Locale.ROOT)) {
            case "informational" -> Optional.of("Informational");
            case "low" -> Optional.of("Low");
            case "medium" -> Optional.of("Medium");
            case "high", "critical" -> Optional.of("High");
            default -> Optional.empty();
        };
    }

    /** The smallest multiple of the timespan that is at least Sentinel's five minutes. */
    static Duration correlationSchedule(Duration timespan) {
        if (timespan.isZero() || timespan.isNegative()) {
            return SHORTEST;
        }
        long multiple = Math.max(1, -Math.floorDiv(-SHORTEST.toNanos(), timespan.toNanos()));
        return timespan.multipliedBy(multiple);
    }

    private static void addOnce(ArrayNode array, String value) {
        for (var element : array) {
            if (element.asText().equals(value)) {
                return;
            }
        }
        array.add(value);
    }
}
