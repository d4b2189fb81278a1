package io.vigil.app.ui;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.http.ApiKeys;
import io.vigil.detect.incident.Incident;
import io.vigil.detect.incident.IncidentReader;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleKind;
import io.vigil.detect.rule.Severity;
import io.vigil.detect.schedule.AlertSink;
import io.vigil.detect.schedule.RuleStateLedger;
import io.vigil.engine.Compilation;
import io.vigil.engine.CompiledQuery;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryCancellation;
import io.vigil.engine.QueryException;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.engine.QueryResult;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.spi.EventStore;
import io.vigil.spi.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * What the web UI's Alerts, Incidents and Rules pages need beside Sentinel's management API
 * ({@code SecurityInsightsApi}, which they use for incidents, their comments and changes):
 *
 * <ul>
 *   <li>{@code GET /v1/alerts?severity=&status=&rule=&timespan=&incident=}: the latest row of each
 *       SecurityAlert, newest first (at most {@value #MAX_ALERTS}), with its entities, the window and query that raised it (for "investigate")
 *       and the incidents holding it;
 *   <li>{@code GET /v1/incidents/{number}/timeline}: every SecurityIncident row of one incident in order, each
 *       with what it changed;
 *   <li>{@code GET /v1/rules}: the rule library with each rule's run state (last window run, next run) and the
 *       alerts it raised;
 *   <li>{@code PUT /v1/rules/{id}/enabled} with {@code {"enabled":true|false}}: contributor role; a rule whose
 *       query does not compile is not enabled (400 with the diagnostics), as import keeps such a rule disabled.
 * </ul>
 *
 * Reads need any role. Filter values are checked against closed sets or a plain-name pattern before they reach
 * KQL, and are quoted there.
 */
public final class DetectionConsoleApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The alert list is for reading on a page: the newest this many, and a flag when there were more. */
    static final int MAX_ALERTS = 500;

    private static final int MAX_BODY_BYTES = 4 * 1024;
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final List<String> ALERT_STATUSES = List.of("New", "InProgress", "Resolved", "Dismissed");
    private static final Pattern TIMELINE = Pattern.compile("/v1/incidents/([0-9]{1,9})/timeline");
    private static final Pattern RULE_ENABLED = Pattern.compile("/v1/rules/([^/]{1,200})/enabled");

    private final KqlEngine engine;
    private final EventStore store;
    private final Clock clock;

    public DetectionConsoleApi(KqlEngine engine, EventStore store, Clock clock) {
        this.engine = requireNonNull(engine, "engine is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static boolean handles(String method, String path) {
        if (path.equals("/v1/alerts")
                || path.equals("/v1/rules")
                || TIMELINE.matcher(path).matches()) {
            return method.equals("GET");
        }
        return RULE_ENABLED.matcher(path).matches() && method.equals("PUT");
    }

    public ConsoleApi.Reply handle(Request request, ApiKeys.Principal principal)
            throws IOException, InterruptedException {
        String path = Request.getPathInContext(request);
        if (path.equals("/v1/alerts")) {
            return alerts(Request.extractQueryParameters(request));
        }
        if (path.equals("/v1/rules")) {
            return new ConsoleApi.Reply(200, rules());
        }
        Matcher timeline = TIMELINE.matcher(path);
        if (timeline.matches()) {
            return timeline(Integer.parseInt(timeline.group(1)));
        }
        Matcher enabled = RULE_ENABLED.matcher(path);
        if (!enabled.matches()) {
            return error(404, "PathNotFoundError", "The requested path does not exist: " + path);
        }
        return setEnabled(request, enabled.group(1), principal);
    }

    // ---- alerts ----

    private ConsoleApi.Reply alerts(Fields parameters) throws InterruptedException {
        List<String> filters = new ArrayList<>();
        String severity = parameters.getValue("severity");
        if (severity != null && !severity.isEmpty()) {
            Optional<Severity> known = Severity.fromName(severity);
            if (known.isEmpty()) {
                return badRequest("severity must be High, Medium, Low or Informational, not '" + severity + "'");
            }
            filters.add("AlertSeverity == " + Json.quote(known.get().sentinelName()));
        }
        String status = parameters.getValue("status");
        if (status != null && !status.isEmpty()) {
            if (!ALERT_STATUSES.contains(status)) {
                return badRequest(
                        "status must be one of " + String.join(", ", ALERT_STATUSES) + ", not '" + status + "'");
            }
            filters.add("Status == " + Json.quote(status));
        }
        String rule = parameters.getValue("rule");
        if (rule != null && !rule.isEmpty()) {
            if (!PLAIN_NAME.matcher(rule).matches()) {
                return badRequest("rule must be a rule id");
            }
            filters.add("AlertType =~ " + Json.quote(rule));
        }
        List<Incident> incidents = new AlertSink(store, engine, QueryLimits.DEFAULT).currentIncidents(clock.instant());
        String incident = parameters.getValue("incident");
        if (incident != null && !incident.isEmpty()) {
            Optional<Incident> found = incidents.stream()
                    .filter(candidate -> Integer.toString(candidate.number()).equals(incident))
                    .findFirst();
            if (found.isEmpty()) {
                return error(404, "NotFound", "No incident '" + incident + "' in this workspace.");
            }
            if (found.get().alertIds().isEmpty()) {
                return new ConsoleApi.Reply(200, alertList(List.of(), false));
            }
            filters.add("SystemAlertId in ("
                    + found.get().alertIds().stream().map(Json::quote).collect(Collectors.joining(", ")) + ")");
        }
        QueryParameters window;
        String timespan = parameters.getValue("timespan");
        try {
            window = engine.parameters(Optional.ofNullable(timespan).filter(text -> !text.isEmpty()));
        } catch (QueryException badTimespan) {
            return badRequest(badTimespan.getMessage());
        }
        StringBuilder kql = new StringBuilder("SecurityAlert | summarize arg_max(TimeGenerated, *) by SystemAlertId");
        for (String filter : filters) {
            kql.append(" | where ").append(filter);
        }
        // alerts of one pass share their TimeGenerated: the later activity first among them
        kql.append(" | sort by TimeGenerated desc, StartTime desc, SystemAlertId asc | take ")
                .append(MAX_ALERTS + 1);
        List<Map<String, Object>> rows = query(kql.toString(), window);
        boolean truncated = rows.size() > MAX_ALERTS;
        if (truncated) {
            rows = rows.subList(0, MAX_ALERTS);
        }
        Map<String, List<Integer>> holders = new HashMap<>();
        for (Incident holder : incidents) {
            for (String alertId : holder.alertIds()) {
                holders.computeIfAbsent(alertId, id -> new ArrayList<>()).add(holder.number());
            }
        }
        List<ObjectNode> alerts = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            alerts.add(alert(row, holders.getOrDefault(text(row, "SystemAlertId"), List.of())));
        }
        return new ConsoleApi.Reply(200, alertList(alerts, truncated));
    }

    private static ObjectNode alertList(List<ObjectNode> alerts, boolean truncated) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("alerts").addAll(alerts);
        body.put("truncated", truncated);
        return body;
    }

    private static ObjectNode alert(Map<String, Object> row, List<Integer> incidents) {
        JsonNode extended = parse(row.get("ExtendedProperties"));
        ObjectNode alert = JSON.createObjectNode();
        alert.put("systemAlertId", text(row, "SystemAlertId"));
        alert.put("name", text(row, "AlertName"));
        alert.put("displayName", text(row, "DisplayName"));
        alert.put("description", text(row, "Description"));
        alert.put("severity", text(row, "AlertSeverity"));
        alert.put("status", text(row, "Status"));
        alert.put("ruleId", text(row, "AlertType"));
        alert.put("ruleName", extended.path("Analytic Rule Name").asText(""));
        alert.put("productName", text(row, "ProductName"));
        alert.put("productComponentName", text(row, "ProductComponentName"));
        alert.put("timeGenerated", text(row, "TimeGenerated"));
        alert.put("startTime", text(row, "StartTime"));
        alert.put("endTime", text(row, "EndTime"));
        alert.put("compromisedEntity", text(row, "CompromisedEntity"));
        ArrayNode tactics = alert.putArray("tactics");
        for (String tactic : text(row, "Tactics").split(",")) {
            if (!tactic.isBlank()) {
                tactics.add(tactic.strip());
            }
        }
        JsonNode entities = parse(row.get("Entities"));
        alert.set("entities", entities.isArray() ? entities : JSON.createArrayNode());
        // what "investigate" opens: the rule's query over the window that raised the alert
        alert.put("query", extended.path("Query").asText(""));
        alert.put("windowStart", extended.path("Query Start Time UTC").asText(""));
        alert.put("windowEnd", extended.path("Query End Time UTC").asText(""));
        ArrayNode holders = alert.putArray("incidents");
        incidents.forEach(holders::add);
        return alert;
    }

    // ---- incident timeline ----

    private ConsoleApi.Reply timeline(int number) throws InterruptedException {
        List<Map<String, Object>> rows = query(
                "SecurityIncident | where IncidentNumber == " + number + " | order by TimeGenerated asc",
                QueryParameters.at(clock.instant()));
        if (rows.isEmpty()) {
            return error(404, "NotFound", "No incident '" + number + "' in this workspace.");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("incidentNumber", number);
        ArrayNode entries = body.putArray("rows");
        Incident previous = null;
        for (Map<String, Object> row : rows) {
            Incident state = IncidentReader.read(row);
            ObjectNode entry = entries.addObject();
            entry.put("time", text(row, "TimeGenerated"));
            entry.put("modifiedBy", text(row, "ModifiedBy"));
            entry.put("status", state.status().sentinelName());
            entry.put("severity", state.severity().sentinelName());
            entry.put("owner", state.owner().orElse(""));
            entry.put("classification", state.classification().orElse(""));
            entry.put("alerts", state.alertIds().size());
            entry.put("comments", state.comments().size());
            ArrayNode changes = entry.putArray("changes");
            changes(previous, state).forEach(changes::add);
            previous = state;
        }
        return new ConsoleApi.Reply(200, body);
    }

    /** What one row changed against the one before it, in words. */
    private static List<String> changes(Incident before, Incident after) {
        List<String> changes = new ArrayList<>();
        if (before == null) {
            changes.add("Created with " + count(after.alertIds().size(), "alert") + ", severity "
                    + after.severity().sentinelName() + ", status "
                    + after.status().sentinelName());
            return changes;
        }
        if (after.alertIds().size() > before.alertIds().size()) {
            changes.add(
                    "Added " + count(after.alertIds().size() - before.alertIds().size(), "alert"));
        }
        if (after.severity() != before.severity()) {
            changes.add("Severity " + before.severity().sentinelName() + " → "
                    + after.severity().sentinelName());
        }
        if (after.status() != before.status()) {
            changes.add("Status " + before.status().sentinelName() + " → "
                    + after.status().sentinelName());
        }
        if (!after.owner().equals(before.owner())) {
            changes.add("Owner " + before.owner().orElse("unassigned") + " → "
                    + after.owner().orElse("unassigned"));
        }
        if (!after.classification().equals(before.classification())
                || !after.classificationReason().equals(before.classificationReason())) {
            String reason = after.classificationReason()
                    .map(value -> " (" + value + ")")
                    .orElse("");
            changes.add("Classified " + after.classification().orElse("none") + reason);
        }
        if (!after.classificationComment().equals(before.classificationComment())
                && after.classificationComment().isPresent()) {
            changes.add(
                    "Classification comment: " + after.classificationComment().get());
        }
        for (int index = before.comments().size(); index < after.comments().size(); index++) {
            changes.add("Comment: " + after.comments().get(index));
        }
        if (changes.isEmpty()) {
            changes.add("No visible change");
        }
        return changes;
    }

    private static String count(int value, String noun) {
        return value + " " + noun + (value == 1 ? "" : "s");
    }

    // ---- rules ----

    private ObjectNode rules() throws IOException, InterruptedException {
        List<RuleLibrary.StoredRule> stored = library().rules();
        Map<String, Map<String, Object>> raised = new HashMap<>();
        for (Map<String, Object> row : query(
                "SecurityAlert | summarize arg_max(TimeGenerated, *) by SystemAlertId"
                        + " | summarize Alerts = count(), LastAlert = max(TimeGenerated) by AlertType",
                QueryParameters.at(clock.instant()))) {
            raised.put(text(row, "AlertType").toLowerCase(Locale.ROOT), row);
        }
        RuleStateLedger ledger = new RuleStateLedger(store);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("rules");
        for (RuleLibrary.StoredRule entry : stored) {
            AnalyticRule rule = entry.rule();
            ObjectNode node = rule(entry);
            Optional<RuleStateLedger.RuleState> state = Optional.empty();
            if (rule.kind() == RuleKind.SCHEDULED) {
                state = ledger.state(rule.id());
            }
            // a scheduled rule's window ending at lastRun ran; the next ends one frequency later and runs
            // on the scheduler's first pass after that (NRT rules run on every commit instead)
            node.put(
                    "lastRun",
                    state.map(value -> value.lastWindowEnd().toString()).orElse(null));
            String nextRun = null;
            if (state.isPresent() && entry.enabled()) {
                nextRun =
                        state.get().lastWindowEnd().plus(rule.queryFrequency()).toString();
            }
            node.put("nextRun", nextRun);
            node.put(
                    "suppressedUntil",
                    state.flatMap(RuleStateLedger.RuleState::suppressedUntil)
                            .map(Instant::toString)
                            .orElse(null));
            Map<String, Object> counts = raised.get(rule.id().toLowerCase(Locale.ROOT));
            if (counts == null) {
                node.put("alerts", 0);
                node.putNull("lastAlert");
            } else {
                node.put("alerts", ((Number) counts.get("Alerts")).longValue());
                node.put("lastAlert", text(counts, "LastAlert"));
            }
            list.add(node);
        }
        return body;
    }

    private static ObjectNode rule(RuleLibrary.StoredRule stored) {
        AnalyticRule rule = stored.rule();
        ObjectNode node = JSON.createObjectNode();
        node.put("id", rule.id());
        node.put("name", rule.name());
        node.put("description", rule.description());
        node.put("kind", rule.kind().sentinelName());
        node.put("severity", rule.severity().sentinelName());
        node.put("enabled", stored.enabled());
        node.put("query", rule.query());
        node.put("queryFrequency", rule.queryFrequency().toString());
        node.put("queryPeriod", rule.queryPeriod().toString());
        node.put("triggerOperator", rule.triggerOperator().apiName());
        node.put("triggerThreshold", rule.triggerThreshold());
        ArrayNode tactics = node.putArray("tactics");
        rule.tactics().forEach(tactics::add);
        ArrayNode techniques = node.putArray("techniques");
        rule.relevantTechniques().forEach(techniques::add);
        return node;
    }

    private ConsoleApi.Reply setEnabled(Request request, String id, ApiKeys.Principal principal) throws IOException {
        if (!principal.role().includes(ApiKeys.Role.CONTRIBUTOR)) {
            return error(
                    403,
                    "InsufficientAccessError",
                    "Enabling or disabling a rule needs the contributor role; '" + principal.name() + "' is "
                            + principal.role().label());
        }
        Optional<Boolean> enabled = readEnabled(request);
        if (enabled.isEmpty()) {
            return badRequest("The body must be {\"enabled\": true} or {\"enabled\": false}");
        }
        RuleLibrary library = library();
        Optional<RuleLibrary.StoredRule> found = library.rules().stream()
                .filter(stored -> stored.rule().id().equalsIgnoreCase(id))
                .findFirst();
        if (found.isEmpty()) {
            return error(404, "NotFound", "No alert rule '" + id + "' in this workspace.");
        }
        AnalyticRule rule = found.get().rule();
        if (enabled.get()
                && engine.compile(rule.query(), QueryParameters.at(clock.instant()))
                        instanceof Compilation.Rejected rejected) {
            ObjectNode body = JSON.createObjectNode();
            ObjectNode error = body.putObject("error");
            error.put("code", "BadArgumentError");
            error.put(
                    "message",
                    "The rule's query does not compile, so it stays disabled: "
                            + rejected.errors().get(0));
            ArrayNode details = error.putArray("details");
            for (Diagnostic diagnostic : rejected.errors()) {
                details.addObject().put("code", diagnostic.code().code()).put("message", diagnostic.message());
            }
            return new ConsoleApi.Reply(400, body);
        }
        library.setEnabled(rule.id(), enabled.get());
        return new ConsoleApi.Reply(200, rule(new RuleLibrary.StoredRule(rule, enabled.get())));
    }

    private static Optional<Boolean> readEnabled(Request request) throws IOException {
        if (request.getLength() > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                return Optional.empty();
            }
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.path("enabled").isBoolean()) {
                return Optional.empty();
            }
            return Optional.of(node.path("enabled").booleanValue());
        } catch (JsonProcessingException notJson) {
            return Optional.empty();
        }
    }

    private RuleLibrary library() {
        return new RuleLibrary(store.dataDir());
    }

    // ---- helpers ----

    /** Rows as column → value; none when the table was never written (its query does not compile). */
    private List<Map<String, Object>> query(String kql, QueryParameters parameters) throws InterruptedException {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!(engine.compile(kql, parameters) instanceof CompiledQuery compiled)) {
            return rows;
        }
        QueryResult result = engine.run(compiled, QueryLimits.DEFAULT, QueryCancellation.none());
        for (List<Object> values : result.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int index = 0; index < result.columns().size(); index++) {
                row.put(result.columns().get(index).name(), values.get(index));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String text(Map<String, Object> row, String column) {
        return Objects.toString(row.get(column), "");
    }

    private static JsonNode parse(Object value) {
        if (value == null) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(value.toString());
        } catch (JsonProcessingException notJson) {
            return JSON.missingNode();
        }
    }

    private static ConsoleApi.Reply badRequest(String message) {
        return error(400, "BadArgumentError", message);
    }

    private static ConsoleApi.Reply error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return new ConsoleApi.Reply(status, body);
    }
}
