package io.vigil.detect.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads Sentinel rules in the two shapes users have them: the rule YAML of the Azure-Sentinel repository
 * (analytic rules and hunting queries) and the ARM template the portal exports
 * ({@code Microsoft.OperationalInsights/workspaces/providers/alertRules} resources whose {@code properties}
 * follow the alertRules REST API: https://learn.microsoft.com/rest/api/securityinsights/alert-rules).
 * A bare alertRules REST object ({@code kind} + {@code properties}) and a list response ({@code value})
 * are read too. Every problem is a {@link RuleDiagnostic}; nothing here throws on bad input.
 */
public final class SentinelRuleReader {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern PARAMETER = Pattern.compile("parameters\\('([^']+)'\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SentinelRuleReader() {}

    /** The rules in a file: JSON (an ARM template or REST object) when it starts with '{', else rule YAML. */
    public static List<RuleDocument> read(String source, String text) {
        String content = text.replace("\uFEFF", "");
        if (content.stripLeading().startsWith("{")) {
            return readArm(source, content);
        }
        return List.of(readYaml(source, content));
    }

    public static RuleDocument readYaml(String source, String text) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().build()).loadFromString(text.replace("\uFEFF", ""));
        } catch (YamlEngineException exception) {
            return invalid(source, Optional.empty(), RuleDiagnostic.Code.INVALID_DOCUMENT, yamlProblem(exception));
        }
        if (!(document instanceof Map<?, ?> map)) {
            return invalid(source, Optional.empty(), RuleDiagnostic.Code.INVALID_DOCUMENT, "not a YAML object");
        }
        RuleFields fields = new RuleFields(map, "", new ArrayList<>());
        Optional<RuleKind> kind = fields.named("kind", SentinelRuleReader::kind, "Scheduled, NRT");
        if (kind.isEmpty() && fields.has("kind")) {
            return invalid(source, fields.string("name"), fields.diagnostics());
        }
        if (kind.isEmpty() && !fields.has("queryFrequency") && !fields.has("triggerOperator")) {
            return hunting(source, fields);
        }
        return analytic(source, fields, kind.orElse(RuleKind.SCHEDULED), true);
    }

    public static List<RuleDocument> readArm(String source, String text) {
        Map<?, ?> root;
        try {
            root = JSON.readValue(text, Map.class);
        } catch (JsonProcessingException exception) {
            String message = "not valid JSON: " + exception.getOriginalMessage() + " at line "
                    + exception.getLocation().getLineNr() + ", column "
                    + exception.getLocation().getColumnNr();
            return List.of(invalid(source, Optional.empty(), RuleDiagnostic.Code.INVALID_DOCUMENT, message));
        }
        List<Map<?, ?>> resources = new ArrayList<>();
        if (root.get("resources") instanceof List<?> list) {
            list.stream()
                    .filter(element -> element instanceof Map<?, ?>)
                    .map(element -> (Map<?, ?>) element)
                    .filter(SentinelRuleReader::isAlertRule)
                    .forEach(resources::add);
        } else if (root.get("value") instanceof List<?> list) {
            list.stream()
                    .filter(element -> element instanceof Map<?, ?>)
                    .map(element -> (Map<?, ?>) element)
                    .forEach(resources::add);
        } else if (root.containsKey("properties")) {
            resources.add(root);
        }
        if (resources.isEmpty()) {
            return List.of(invalid(
                    source,
                    Optional.empty(),
                    RuleDiagnostic.Code.INVALID_DOCUMENT,
                    "no Microsoft.SecurityInsights alertRules resource in this JSON"));
        }
        Map<?, ?> parameters = root.get("parameters") instanceof Map<?, ?> map ? map : Map.of();
        List<RuleDocument> documents = new ArrayList<>();
        for (int index = 0; index < resources.size(); index++) {
            String resourceSource = resources.size() == 1 ? source : source + "#" + (index + 1);
            documents.add(armResource(resourceSource, resources.get(index), parameters));
        }
        return documents;
    }

    private static boolean isAlertRule(Map<?, ?> resource) {
        return String.valueOf(resource.get("type")).toLowerCase(Locale.ROOT).endsWith("/alertrules");
    }

    private static RuleDocument armResource(String source, Map<?, ?> resource, Map<?, ?> parameters) {
        if (!(resource.get("properties") instanceof Map<?, ?> properties)) {
            return invalid(source, Optional.empty(), RuleDiagnostic.Code.MISSING_FIELD, "properties: is required");
        }
        Optional<String> displayName =
                Optional.ofNullable(properties.get("displayName")).map(String::valueOf);
        Object kindName = resource.get("kind");
        Optional<RuleKind> kind = kindName == null ? Optional.empty() : kind(String.valueOf(kindName));
        if (kind.isEmpty()) {
            return invalid(
                    source,
                    displayName,
                    RuleDiagnostic.Code.INVALID_VALUE,
                    "kind: '" + kindName + "' is not a query rule (Scheduled or NRT); Vigil does not run "
                            + "Fusion, ML, Microsoft security and threat-intelligence rules");
        }
        // the REST property names, renamed to the rule YAML's so that one reader checks both
        Map<Object, Object> renamed = new LinkedHashMap<>(properties);
        renamed.remove("displayName");
        displayName.ifPresent(name -> renamed.put("name", name));
        List<Object> techniques = new ArrayList<>();
        for (String key : List.of("techniques", "subTechniques")) {
            if (renamed.remove(key) instanceof List<?> list) {
                techniques.addAll(list);
            }
        }
        if (!techniques.isEmpty()) {
            renamed.put("relevantTechniques", techniques);
        }
        armId(resource, parameters)
                .or(() -> Optional.ofNullable(properties.get("alertRuleTemplateName"))
                        .map(String::valueOf))
                .ifPresent(id -> renamed.put("id", id));
        return analytic(source, new RuleFields(renamed, "", new ArrayList<>()), kind.get(), false);
    }

    /**
     * The rule id from the resource name, as exported: {@code [concat(parameters('workspace'),
     * '/Microsoft.SecurityInsights/<guid>')]}, or a parameter whose default value is the id.
     */
    private static Optional<String> armId(Map<?, ?> resource, Map<?, ?> parameters) {
        // a REST object names the rule by its ruleId, which need not be a GUID ("myFirstRule"); taken before
        // the resource id, whose first GUID is the subscription's
        if (resource.get("name") instanceof String name
                && PLAIN_NAME.matcher(name).matches()) {
            return Optional.of(name);
        }
        for (String key : List.of("name", "id")) {
            String text = String.valueOf(resource.get(key));
            Matcher guid = GUID.matcher(text);
            String last = null;
            while (guid.find()) {
                last = guid.group();
            }
            if (last != null) {
                return Optional.of(last);
            }
            Matcher parameter = PARAMETER.matcher(text);
            while (parameter.find()) {
                if (parameters.get(parameter.group(1)) instanceof Map<?, ?> definition
                        && definition.get("defaultValue") instanceof String value
                        && GUID.matcher(value).matches()) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    private static RuleDocument analytic(String source, RuleFields fields, RuleKind kind, boolean yaml) {
        String id = fields.requiredString("id");
        String name = fields.requiredString("name");
        String description = fields.string("description").orElse("");
        Optional<Severity> severity = fields.named("severity", Severity::fromName, "Informational, Low, Medium, High");
        if (!fields.has("severity")) {
            fields.error(RuleDiagnostic.Code.MISSING_FIELD, "severity", "is required");
        }
        String query = fields.requiredString("query");
        Duration frequency = AnalyticRule.NRT_INTERVAL;
        Duration period = AnalyticRule.NRT_INTERVAL;
        Optional<TriggerOperator> operator = Optional.of(TriggerOperator.GREATER_THAN);
        Optional<Integer> threshold = Optional.of(0);
        switch (kind) {
            case SCHEDULED -> {
                frequency = required(fields, "queryFrequency", fields.duration("queryFrequency"));
                period = required(fields, "queryPeriod", fields.duration("queryPeriod"));
                operator = fields.named("triggerOperator", TriggerOperator::fromName, "gt, lt, eq, ne");
                required(fields, "triggerOperator", operator);
                threshold = fields.integer("triggerThreshold");
                required(fields, "triggerThreshold", threshold);
            }
            case NRT -> {
                for (String key : List.of("queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold")) {
                    if (fields.has(key)) {
                        fields.warning(
                                RuleDiagnostic.Code.IGNORED_FIELD,
                                key,
                                "an NRT rule runs every minute and fires on any result row");
                    }
                }
            }
        }
        List<String> tactics = fields.strings("tactics");
        List<String> techniques = fields.strings("relevantTechniques");
        List<EntityMapping> entities = entityMappings(fields);
        Map<String, String> customDetails = fields.stringMap("customDetails");
        Optional<AlertDetailsOverride> override = fields.object("alertDetailsOverride")
                .flatMap(child -> child.attempt(() -> new AlertDetailsOverride(
                        child.string("alertDisplayNameFormat"),
                        child.string("alertDescriptionFormat"),
                        child.string("alertTacticsColumnName"),
                        child.string("alertSeverityColumnName"),
                        child.objects("alertDynamicProperties").stream()
                                .map(property -> new AlertDetailsOverride.DynamicProperty(
                                        property.requiredString("alertProperty"), property.requiredString("value")))
                                .toList())));
        EventGrouping grouping = fields.object("eventGroupingSettings")
                .flatMap(child -> child.named(
                        "aggregationKind", SentinelRuleReader::eventGrouping, "SingleAlert, AlertPerResult"))
                .orElse(EventGrouping.SINGLE_ALERT);
        Optional<IncidentConfiguration> incidents = incidentConfiguration(fields);
        boolean suppressionEnabled = fields.bool("suppressionEnabled").orElse(false);
        Duration suppression = fields.duration("suppressionDuration").orElse(AnalyticRule.DEFAULT_SUPPRESSION);
        List<DataConnector> connectors = dataConnectors(fields);
        Optional<String> version = fields.string(yaml ? "version" : "templateVersion");
        Optional<String> status = fields.string("status");
        boolean enabled = fields.bool("enabled").orElse(true);

        if (fields.diagnostics().stream().anyMatch(RuleDiagnostic::error)
                || severity.isEmpty()
                || operator.isEmpty()
                || threshold.isEmpty()
                || incidents.isEmpty()) {
            return new RuleDocument.Invalid(source, nonBlank(name), withError(fields.diagnostics()));
        }
        Duration finalFrequency = frequency;
        Duration finalPeriod = period;
        TriggerOperator finalOperator = operator.get();
        int finalThreshold = threshold.get();
        Optional<AnalyticRule> rule = fields.attempt(() -> new AnalyticRule(
                id,
                name,
                description,
                severity.get(),
                kind,
                query,
                finalFrequency,
                finalPeriod,
                finalOperator,
                finalThreshold,
                tactics,
                techniques,
                entities,
                customDetails,
                override,
                grouping,
                incidents.get(),
                suppressionEnabled,
                suppression,
                connectors,
                version,
                status,
                enabled));
        if (rule.isEmpty()) {
            return new RuleDocument.Invalid(source, nonBlank(name), fields.diagnostics());
        }
        return new RuleDocument.Analytic(source, rule.get(), fields.diagnostics());
    }

    private static RuleDocument hunting(String source, RuleFields fields) {
        String id = fields.requiredString("id");
        String name = fields.requiredString("name");
        String description = fields.string("description").orElse("");
        String query = fields.requiredString("query");
        List<String> tactics = fields.strings("tactics");
        List<String> techniques = fields.strings("relevantTechniques");
        List<EntityMapping> entities = entityMappings(fields);
        List<DataConnector> connectors = dataConnectors(fields);
        if (fields.diagnostics().stream().anyMatch(RuleDiagnostic::error)) {
            return new RuleDocument.Invalid(source, nonBlank(name), fields.diagnostics());
        }
        Optional<HuntingQuery> hunting = fields.attempt(
                () -> new HuntingQuery(id, name, description, query, tactics, techniques, entities, connectors));
        if (hunting.isEmpty()) {
            return new RuleDocument.Invalid(source, nonBlank(name), fields.diagnostics());
        }
        return new RuleDocument.Hunting(source, hunting.get(), fields.diagnostics());
    }

    private static List<EntityMapping> entityMappings(RuleFields fields) {
        List<EntityMapping> mappings = new ArrayList<>();
        for (RuleFields entity : fields.objects("entityMappings")) {
            String type = entity.requiredString("entityType");
            List<EntityMapping.FieldMapping> fieldMappings = new ArrayList<>();
            for (RuleFields field : entity.objects("fieldMappings")) {
                String identifier = field.requiredString("identifier");
                String column = field.requiredString("columnName");
                field.attempt(() -> new EntityMapping.FieldMapping(identifier, column))
                        .ifPresent(fieldMappings::add);
            }
            entity.attempt(() -> new EntityMapping(type, fieldMappings)).ifPresent(mappings::add);
        }
        return mappings;
    }

    private static Optional<IncidentConfiguration> incidentConfiguration(RuleFields fields) {
        Optional<RuleFields> configuration = fields.object("incidentConfiguration");
        if (configuration.isEmpty()) {
            return Optional.of(IncidentConfiguration.DEFAULT);
        }
        RuleFields incident = configuration.get();
        boolean create = incident.bool("createIncident").orElse(true);
        Optional<RuleFields> groupingFields = incident.object("groupingConfiguration");
        if (groupingFields.isEmpty()) {
            return Optional.of(new IncidentConfiguration(create, IncidentConfiguration.GroupingConfiguration.DEFAULT));
        }
        RuleFields grouping = groupingFields.get();
        IncidentConfiguration.GroupingConfiguration defaults = IncidentConfiguration.GroupingConfiguration.DEFAULT;
        boolean enabled = grouping.bool("enabled").orElse(defaults.enabled());
        boolean reopen = grouping.bool("reopenClosedIncident").orElse(defaults.reopenClosedIncident());
        Duration lookback = grouping.duration("lookbackDuration").orElse(defaults.lookbackDuration());
        MatchingMethod method = grouping.named(
                        "matchingMethod", SentinelRuleReader::matchingMethod, "AllEntities, AnyAlert, Selected")
                .orElse(defaults.matchingMethod());
        List<String> entities = grouping.strings("groupByEntities");
        List<String> details = grouping.strings("groupByAlertDetails");
        List<String> customDetails = grouping.strings("groupByCustomDetails");
        return grouping.attempt(() -> new IncidentConfiguration(
                create,
                new IncidentConfiguration.GroupingConfiguration(
                        enabled, reopen, lookback, method, entities, details, customDetails)));
    }

    private static List<DataConnector> dataConnectors(RuleFields fields) {
        List<DataConnector> connectors = new ArrayList<>();
        for (RuleFields connector : fields.objects("requiredDataConnectors")) {
            String id = connector.requiredString("connectorId");
            List<String> dataTypes = connector.strings("dataTypes");
            connector.attempt(() -> new DataConnector(id, dataTypes)).ifPresent(connectors::add);
        }
        return connectors;
    }

    private static <T> T required(RuleFields fields, String key, Optional<T> value) {
        if (!fields.has(key)) {
            fields.error(RuleDiagnostic.Code.MISSING_FIELD, key, "is required for a scheduled rule");
        }
        return value.orElse(null);
    }

    private static Optional<RuleKind> kind(String name) {
        return byName(RuleKind.values(), RuleKind::sentinelName, name);
    }

    private static Optional<EventGrouping> eventGrouping(String name) {
        return byName(EventGrouping.values(), EventGrouping::sentinelName, name);
    }

    private static Optional<MatchingMethod> matchingMethod(String name) {
        return byName(MatchingMethod.values(), MatchingMethod::sentinelName, name);
    }

    /** The value whose Sentinel name is {@code name}, ignoring case as Sentinel does. */
    private static <T> Optional<T> byName(T[] values, Function<T, String> sentinelName, String name) {
        for (T value : values) {
            if (sentinelName.apply(value).equalsIgnoreCase(name.strip())) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonBlank(String name) {
        return name.isBlank() ? Optional.empty() : Optional.of(name);
    }

    /** A missing piece already reported as a field diagnostic; guards the invariant of {@code Invalid}. */
    private static List<RuleDiagnostic> withError(List<RuleDiagnostic> diagnostics) {
        if (diagnostics.stream().anyMatch(RuleDiagnostic::error)) {
            return diagnostics;
        }
        List<RuleDiagnostic> all = new ArrayList<>(diagnostics);
        all.add(RuleDiagnostic.error(RuleDiagnostic.Code.INVALID_VALUE, "", "the rule is incomplete"));
        return all;
    }

    private static RuleDocument.Invalid invalid(
            String source, Optional<String> name, RuleDiagnostic.Code code, String message) {
        return new RuleDocument.Invalid(source, name, List.of(RuleDiagnostic.error(code, "", message)));
    }

    private static RuleDocument.Invalid invalid(
            String source, Optional<String> name, List<RuleDiagnostic> diagnostics) {
        return new RuleDocument.Invalid(source, name, withError(diagnostics));
    }

    private static String yamlProblem(YamlEngineException exception) {
        if (exception instanceof MarkedYamlEngineException marked
                && marked.getProblemMark().isPresent()) {
            // snakeyaml's marks are 0-based
            return "not valid YAML: " + marked.getProblem() + " at line "
                    + (marked.getProblemMark().get().getLine() + 1) + ", column "
                    + (marked.getProblemMark().get().getColumn() + 1);
        }
        return "not valid YAML: "
                + String.valueOf(exception.getMessage()).lines().findFirst().orElse("");
    }
}
