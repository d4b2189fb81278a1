package io.vigil.app;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.audit.AuditTrail;
import io.vigil.app.http.ApiKeys;
import io.vigil.detect.incident.Incident;
import io.vigil.detect.incident.IncidentStatus;
import io.vigil.detect.incident.IncidentUpdate;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.detect.rule.AlertDetailsOverride;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.EntityMapping;
import io.vigil.detect.rule.IncidentConfiguration;
import io.vigil.detect.rule.RuleDiagnostic;
import io.vigil.detect.rule.RuleDurations;
import io.vigil.detect.rule.RuleKind;
import io.vigil.detect.schedule.AlertSink;
import io.vigil.detect.schedule.RuleStateLedger;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.engine.QueryResult;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.spi.AuditLog;
import io.vigil.spi.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * Sentinel's management API ({@code Microsoft.SecurityInsights}) over Vigil's rules and incidents, so scripts
 * written for Sentinel work against Vigil. Served under the ARM path of a workspace (any subscription and
 * resource group; the workspace is Vigil's workspace id or {@code default}) and under the alias
 * {@code /v1/securityinsights/}. The shapes follow Microsoft's REST reference for api-version 2023-02-01
 * (the examples in azure-rest-api-specs, specification/securityinsights/resource-manager/
 * Microsoft.SecurityInsights/stable/2023-02-01/examples: incidents/GetIncidents.json, alertRules/GetAllAlertRules.json).
 */
public final class SecurityInsightsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An incident change or a comment: small JSON documents. */
    private static final int MAX_BODY_BYTES = 256 * 1024;

    private static final String ALIAS = "/v1/securityinsights/";
    /** Rule ids as file names can hold them; Sentinel's are GUIDs. */
    /** The incident properties {@code $filter} and {@code $orderby} take, as this API shapes incidents. */
    private static final ODataFilter INCIDENT_FIELDS = new ODataFilter(Map.ofEntries(
            Map.entry("name", ODataFilter.Type.TEXT),
            Map.entry("properties/title", ODataFilter.Type.TEXT),
            Map.entry("properties/description", ODataFilter.Type.TEXT),
            Map.entry("properties/severity", ODataFilter.Type.ENUMERATION),
            Map.entry("properties/status", ODataFilter.Type.ENUMERATION),
            Map.entry("properties/classification", ODataFilter.Type.ENUMERATION),
            Map.entry("properties/classificationReason", ODataFilter.Type.ENUMERATION),
            Map.entry("properties/classificationComment", ODataFilter.Type.TEXT),
            Map.entry("properties/owner/assignedTo", ODataFilter.Type.TEXT),
            Map.entry("properties/incidentNumber", ODataFilter.Type.NUMBER),
            Map.entry("properties/createdTimeUtc", ODataFilter.Type.TIME),
            Map.entry("properties/lastModifiedTimeUtc", ODataFilter.Type.TIME),
            Map.entry("properties/firstActivityTimeUtc", ODataFilter.Type.TIME),
            Map.entry("properties/lastActivityTimeUtc", ODataFilter.Type.TIME),
            Map.entry("properties/additionalData/alertsCount", ODataFilter.Type.NUMBER),
            Map.entry("properties/additionalData/commentsCount", ODataFilter.Type.NUMBER)));

    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final Pattern ARM = Pattern.compile(
            "(?i)/subscriptions/([^/]+)/resourceGroups/([^/]+)"
                    + "/providers/Microsoft\\.OperationalInsights/workspaces/([^/]+)/providers/Microsoft\\.SecurityInsights/(.*)");

    private final VigilRuntime runtime;
    private final KqlEngine engine;
    private final Clock clock;

    public SecurityInsightsApi(VigilRuntime runtime, KqlEngine engine) {
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.clock = runtime.clock();
    }

    /** A status and a JSON body. */
    public record Reply(int status, ObjectNode body) {}

    /** The resource path after {@code Microsoft.SecurityInsights/}, if the request path is this API's. */
    public Optional<String> resource(String path) {
        if (path.startsWith(ALIAS)) {
            return Optional.of(path.substring(ALIAS.length()));
        }
        Matcher arm = ARM.matcher(path);
        if (arm.matches()) {
            String workspace = arm.group(3);
            if (workspace.equalsIgnoreCase("default")
                    || workspace.equalsIgnoreCase(runtime.workspace().workspaceId())) {
                return Optional.of(arm.group(4));
            }
        }
        return Optional.empty();
    }

    /** Answers a request for {@code resource} (from {@link #resource}) by an authenticated principal. */
    public Reply handle(Request request, String resource, String armPrefix, ApiKeys.Principal principal)
            throws IOException, InterruptedException {
        String method = request.getMethod();
        String[] parts = resource.isEmpty() ? new String[0] : resource.split("/", -1);
        if (method.equals("POST") && parts.length == 3 && parts[0].equals("incidents") && parts[2].equals("alerts")) {
            // Sentinel lists an incident's alerts with POST, but it is a read
            return incidentAlerts(parts[1], armPrefix);
        }
        if (!method.equals("GET")) {
            Reply notRead = requireWriter(method, parts, principal);
            if (notRead != null) {
                return notRead;
            }
            if (method.equals("PUT") && parts.length == 2 && parts[0].equals("alertRules")) {
                return putAlertRule(request, parts[1], armPrefix, principal);
            }
            if (method.equals("DELETE") && parts.length == 2 && parts[0].equals("alertRules")) {
                return deleteAlertRule(request, parts[1], principal);
            }
            if (method.equals("PUT") && parts.length == 2 && parts[0].equals("incidents")) {
                return updateIncident(request, parts[1], armPrefix, principal);
            }
            if (method.equals("PUT")
                    && parts.length == 4
                    && parts[0].equals("incidents")
                    && parts[2].equals("comments")) {
                return addComment(request, parts[1], parts[3], armPrefix, principal);
            }
            return error(405, "MethodNotAllowed", method + " on " + resource + " is not supported yet.");
        }
        if (parts.length == 3 && parts[0].equals("incidents") && parts[2].equals("comments")) {
            Optional<Incident> found = findIncident(parts[1]);
            if (found.isEmpty()) {
                return notFound("incident", parts[1]);
            }
            ArrayNode value = JSON.createArrayNode();
            List<String> comments = found.get().comments();
            for (int index = 0; index < comments.size(); index++) {
                value.add(comment(found.get(), index, armPrefix));
            }
            return list(value);
        }
        if (parts.length == 1 && parts[0].equals("alertRules")) {
            for (Fields.Field field : Request.extractQueryParameters(request, StandardCharsets.UTF_8)) {
                if (field.getName().startsWith("$")) {
                    // an option that cannot be applied is refused, never ignored
                    return badRequest("The query option " + field.getName() + " is not supported on alertRules:"
                            + " every rule is answered in one page.");
                }
            }
            ArrayNode value = JSON.createArrayNode();
            RuleLibrary library = library();
            for (RuleLibrary.StoredRule stored : library.rules()) {
                value.add(alertRule(
                        stored, armPrefix, library.lastModified(stored.rule().id())));
            }
            return list(value);
        }
        if (parts.length == 2 && parts[0].equals("alertRules")) {
            RuleLibrary library = library();
            Optional<RuleLibrary.StoredRule> stored = library.find(parts[1]);
            if (stored.isEmpty()) {
                return notFound("alert rule", parts[1]);
            }
            return new Reply(
                    200,
                    alertRule(
                            stored.get(),
                            armPrefix,
                            library.lastModified(stored.get().rule().id())));
        }
        if (parts.length == 1 && parts[0].equals("incidents")) {
            return listIncidents(request, armPrefix);
        }
        if (parts.length == 2 && parts[0].equals("incidents")) {
            Optional<Incident> found = findIncident(parts[1]);
            if (found.isEmpty()) {
                return notFound("incident", parts[1]);
            }
            return new Reply(200, incident(found.get(), armPrefix));
        }
        return error(404, "NotFound", "No Microsoft.SecurityInsights resource " + resource);
    }

    /**
     * Sentinel's Incidents_List with the OData options its scripts use: {@code $filter} (see {@link ODataFilter}),
     * {@code $orderby} and {@code $top}, applied in that order to the incidents as this API shapes them. An
     * option Vigil cannot apply ({@code $skipToken}, a filter form it does not know) is a 400, never ignored.
     */
    private Reply listIncidents(Request request, String armPrefix) throws InterruptedException {
        Fields parameters = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        Optional<ODataFilter.Filter> filter = Optional.empty();
        Optional<ODataFilter.Ordering> ordering = Optional.empty();
        OptionalInt top = OptionalInt.empty();
        for (Fields.Field field : parameters) {
            String name = field.getName();
            if (!name.startsWith("$")) {
                continue;
            }
            if (field.getValues().size() != 1) {
                return badRequest(name + " is given more than once.");
            }
            String value = field.getValue();
            switch (name) {
                case "$filter" -> {
                    switch (INCIDENT_FIELDS.parseFilter(value)) {
                        case ODataFilter.Invalid invalid -> {
                            return badRequest(invalid.message());
                        }
                        case ODataFilter.Filter parsed -> filter = Optional.of(parsed);
                    }
                }
                case "$orderby" -> {
                    switch (INCIDENT_FIELDS.parseOrder(value)) {
                        case ODataFilter.Invalid invalid -> {
                            return badRequest(invalid.message());
                        }
                        case ODataFilter.Ordering parsed -> ordering = Optional.of(parsed);
                    }
                }
                case "$top" -> {
                    if (!value.strip().matches("\\d{1,9}")) {
                        return badRequest("$top must be a whole number of incidents, not '" + value + "'.");
                    }
                    top = OptionalInt.of(Integer.parseInt(value.strip()));
                }
                default -> {
                    return badRequest("The query option " + name + " is not supported on incidents"
                            + " (supported: $filter, $orderby, $top; every incident is in one page, so there is"
                            + " no $skipToken).");
                }
            }
        }
        List<ObjectNode> incidents = new ArrayList<>();
        for (Incident incident : incidents()) {
            ObjectNode node = incident(incident, armPrefix);
            if (filter.isEmpty() || filter.get().matches(node)) {
                incidents.add(node);
            }
        }
        ordering.ifPresent(keys -> incidents.sort(keys.comparator()));
        ArrayNode value = JSON.createArrayNode();
        int limit = top.orElse(Integer.MAX_VALUE);
        for (int index = 0; index < incidents.size() && index < limit; index++) {
            value.add(incidents.get(index));
        }
        return list(value);
    }

    /**
     * Sentinel's AlertRules_CreateOrUpdate for the query kinds (Scheduled, NRT): the body is {@code kind} and
     * {@code properties} as in its CreateScheduledAlertRule example; 201 with the rule when it is new, 200 when
     * it replaced one. A rule with invalid fields or a query that does not compile is refused (400, each
     * problem a detail) and nothing is stored. The server's detection reads the library on every pass, so the
     * rule runs from the next pass (NRT rules from the next committed batch). The body's {@code etag} is not
     * checked.
     */
    private Reply putAlertRule(Request request, String ruleId, String armPrefix, ApiKeys.Principal principal)
            throws IOException {
        if (!RULE_ID.matcher(ruleId).matches()) {
            return badRequest("The rule id '" + ruleId + "' must be 1 to 128 letters, digits, '.', '_' or '-'"
                    + " (Sentinel's rule ids are GUIDs).");
        }
        Optional<JsonNode> body = readBody(request);
        if (body.isEmpty()) {
            return badRequest("The body must be a JSON object of at most " + MAX_BODY_BYTES
                    + " bytes with 'kind' and 'properties', as Sentinel's alert rule PUT.");
        }
        JsonNode kind = body.get().path("kind");
        if (!kind.isTextual() || !body.get().path("properties").isObject()) {
            return badRequest("The body must have 'kind' (Scheduled or NRT) and a 'properties' object,"
                    + " as Sentinel's alert rule PUT.");
        }
        // what the library keeps: the REST object named by the rule id of the path, read back by GET
        ObjectNode document = JSON.createObjectNode();
        document.put("name", ruleId);
        document.put("type", "Microsoft.SecurityInsights/alertRules");
        document.set("kind", kind);
        document.set("properties", body.get().path("properties"));
        RuleLibrary library = library();
        Optional<RuleLibrary.StoredRule> before = library.byId(ruleId);
        RuleLibrary.Put put = library.put(
                ruleId, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document), engine, clock.instant());
        return switch (put) {
            case RuleLibrary.Put.Refused refused -> refusedRule(refused);
            case RuleLibrary.Put.Stored stored -> {
                AnalyticRule rule = stored.stored().rule();
                boolean rescheduled = before.isPresent()
                        && (before.get().rule().kind() != rule.kind()
                                || !before.get().rule().queryFrequency().equals(rule.queryFrequency()));
                if (rescheduled) {
                    // window ends are aligned to the frequency: a new schedule starts afresh at its latest
                    // window, as an edited rule does in Sentinel
                    new RuleStateLedger(runtime.store()).forget(rule.id());
                }
                runtime.audit()
                        .record(
                                new AuditLog.Actor(principal.name(), Request.getRemoteAddr(request)),
                                stored.created() ? "rules.create" : "rules.replace",
                                rule.id(),
                                before.flatMap(SecurityInsightsApi::ruleState),
                                ruleState(stored.stored()));
                int status = 200;
                if (stored.created()) {
                    status = 201;
                }
                yield new Reply(status, alertRule(stored.stored(), armPrefix, library.lastModified(rule.id())));
            }
        };
    }

    /** Sentinel's AlertRules_Delete: 200 when the rule was removed, 404 for an unknown rule. */
    private Reply deleteAlertRule(Request request, String ruleId, ApiKeys.Principal principal) throws IOException {
        RuleLibrary library = library();
        Optional<RuleLibrary.StoredRule> before = library.byId(ruleId);
        if (!library.delete(ruleId)) {
            return notFound("alert rule", ruleId);
        }
        runtime.audit()
                .record(
                        new AuditLog.Actor(principal.name(), Request.getRemoteAddr(request)),
                        "rules.delete",
                        ruleId,
                        before.flatMap(SecurityInsightsApi::ruleState),
                        Optional.empty());
        // a rule created again later under this id starts afresh rather than catching up the time between
        new RuleStateLedger(runtime.store()).forget(ruleId);
        return new Reply(200, JSON.createObjectNode());
    }

    /** What the audit trail keeps of a rule: enough to see what changed, the query included. */
    private static Optional<String> ruleState(RuleLibrary.StoredRule stored) {
        AnalyticRule rule = stored.rule();
        return AuditTrail.state(
                "name",
                rule.name(),
                "kind",
                rule.kind().toString(),
                "enabled",
                stored.enabled(),
                "query",
                rule.query());
    }

    /**
     * A refused rule, in the error shape of the Log Analytics query API: one detail per problem with its
     * target (the property) and, for KQL diagnostics, the code and the {@code line}/{@code pos} in the query.
     */
    private static Reply refusedRule(RuleLibrary.Put.Refused refused) {
        String message;
        if (!refused.queryErrors().isEmpty()) {
            Diagnostic first = refused.queryErrors().get(0);
            message = "The alert rule's query does not compile: " + first.code().code() + " " + first.message()
                    + " (line " + first.line() + ", position " + first.column() + ").";
        } else {
            message = "The alert rule is not valid: "
                    + refused.ruleProblems().stream()
                            .filter(RuleDiagnostic::error)
                            .map(SecurityInsightsApi::describe)
                            .collect(Collectors.joining("; "))
                    + ".";
        }
        Reply reply = badRequest(message);
        ArrayNode details = ((ObjectNode) reply.body().path("error")).putArray("details");
        for (Diagnostic diagnostic : refused.queryErrors()) {
            ObjectNode detail = details.addObject()
                    .put("code", diagnostic.code().code())
                    .put("message", diagnostic.message())
                    .put("target", "properties.query");
            detail.putObject("additionalProperties")
                    .put("line", diagnostic.line())
                    .put("pos", diagnostic.column());
        }
        for (RuleDiagnostic problem : refused.ruleProblems()) {
            if (problem.error()) {
                details.addObject()
                        .put("code", problem.code().text())
                        .put("message", problem.message())
                        .put("target", target(problem.field()));
            }
        }
        return reply;
    }

    private static String describe(RuleDiagnostic problem) {
        if (problem.field().isEmpty()) {
            return problem.message();
        }
        return target(problem.field()) + " " + problem.message();
    }

    /** A rule field as the REST body names it (the reader uses the rule YAML's names). */
    private static String target(String field) {
        if (field.isEmpty()) {
            return "properties";
        }
        String restName = switch (field) {
            case "name" -> "displayName";
            case "relevantTechniques" -> "techniques";
            case "version" -> "templateVersion";
            default -> field;
        };
        return "properties." + restName;
    }

    /**
     * Sentinel's incident PUT: {@code properties} with status, owner.assignedTo, classification,
     * classificationReason and classificationComment; each change is a new SecurityIncident row.
     */
    private Reply updateIncident(Request request, String id, String armPrefix, ApiKeys.Principal principal)
            throws IOException, InterruptedException {
        Optional<JsonNode> body = readBody(request);
        if (body.isEmpty() || !body.get().path("properties").isObject()) {
            return badRequest("The body must be a JSON object with 'properties', as Sentinel's incident PUT.");
        }
        Optional<Incident> found = findIncident(id);
        if (found.isEmpty()) {
            return notFound("incident", id);
        }
        JsonNode properties = body.get().path("properties");
        Optional<IncidentStatus> status = Optional.empty();
        if (properties.hasNonNull("status")) {
            status = IncidentStatus.fromName(properties.path("status").asText());
            if (status.isEmpty()) {
                return badRequest("properties.status must be New, Active or Closed, not '"
                        + properties.path("status").asText() + "'.");
            }
        }
        if (properties.hasNonNull("severity")
                && !properties
                        .path("severity")
                        .asText()
                        .equalsIgnoreCase(found.get().severity().sentinelName())) {
            return badRequest("Changing an incident's severity is not supported; it follows its alerts.");
        }
        IncidentUpdate change = new IncidentUpdate(
                status,
                text(properties.path("owner"), "assignedTo"),
                text(properties, "classification"),
                text(properties, "classificationReason"),
                text(properties, "classificationComment"),
                Optional.empty());
        return written(found.get(), change, principal, Request.getRemoteAddr(request))
                .map(incident -> new Reply(200, incident(incident, armPrefix)))
                .orElseGet(() -> notFound("incident", id));
    }

    /**
     * Sentinel's comment PUT with {@code properties.message}. Comments live in the incident's Comments column
     * (durable in the SecurityIncident table); they are named by their position, so a client-chosen comment id
     * is not kept.
     */
    private Reply addComment(
            Request request, String id, String commentId, String armPrefix, ApiKeys.Principal principal)
            throws IOException, InterruptedException {
        Optional<JsonNode> body = readBody(request);
        Optional<String> message = body.flatMap(node -> text(node.path("properties"), "message"));
        if (message.isEmpty() || message.get().isBlank()) {
            return badRequest("The body must be {\"properties\":{\"message\":\"...\"}}, as Sentinel's comment PUT.");
        }
        Optional<Incident> found = findIncident(id);
        if (found.isEmpty()) {
            return notFound("incident", id);
        }
        IncidentUpdate change = new IncidentUpdate(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), message);
        Optional<Incident> updated = written(found.get(), change, principal, Request.getRemoteAddr(request));
        if (updated.isEmpty()) {
            return notFound("incident", id);
        }
        return new Reply(201, comment(updated.get(), updated.get().comments().size() - 1, armPrefix));
    }

    /** Writes an incident change and records it in the audit trail with the caller and its address. */
    private Optional<Incident> written(
            Incident incident, IncidentUpdate change, ApiKeys.Principal principal, String source)
            throws InterruptedException {
        return IncidentsCommand.written(
                runtime,
                engine,
                Optional.of(incident),
                incident.number(),
                change,
                clock.instant(),
                new AuditLog.Actor(principal.name(), source),
                principal.name());
    }

    private static ObjectNode comment(Incident incident, int index, String armPrefix) {
        ObjectNode node = JSON.createObjectNode();
        String name = Integer.toString(index + 1);
        node.put("id", armPrefix + "incidents/" + incident.name() + "/comments/" + name);
        node.put("name", name);
        node.put("type", "Microsoft.SecurityInsights/Incidents/Comments");
        node.putObject("properties").put("message", incident.comments().get(index));
        return node;
    }

    private static Optional<JsonNode> readBody(Request request) throws IOException {
        if (request.getLength() > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                return Optional.empty();
            }
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            return Optional.of(node);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        if (node.hasNonNull(field)) {
            return Optional.of(node.path(field).asText());
        }
        return Optional.empty();
    }

    private static Reply badRequest(String message) {
        return error(400, "BadRequest", message);
    }

    /** Sentinel's Incidents_ListAlerts: the SecurityAlert rows of the incident's AlertIds, in its alert shape. */
    private Reply incidentAlerts(String id, String armPrefix) throws InterruptedException {
        Optional<Incident> found = findIncident(id);
        if (found.isEmpty()) {
            return notFound("incident", id);
        }
        ArrayNode value = JSON.createArrayNode();
        if (found.get().alertIds().isEmpty()) {
            return list(value);
        }
        String ids = found.get().alertIds().stream().map(Json::quote).collect(Collectors.joining(", "));
        QueryResult result = engine.execute(
                "SecurityAlert | where SystemAlertId in (" + ids + ") | summarize arg_max(TimeGenerated, *) by"
                        + " SystemAlertId | order by StartTime asc",
                QueryParameters.at(clock.instant()),
                QueryLimits.DEFAULT);
        for (List<Object> values : result.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int index = 0; index < result.columns().size(); index++) {
                row.put(result.columns().get(index).name(), values.get(index));
            }
            value.add(alert(row, armPrefix));
        }
        return list(value);
    }

    private static ObjectNode alert(Map<String, Object> row, String armPrefix) {
        String systemAlertId = String.valueOf(row.get("SystemAlertId"));
        ObjectNode node = JSON.createObjectNode();
        node.put("id", armPrefix + "entities/" + systemAlertId);
        node.put("name", systemAlertId);
        node.put("type", "Microsoft.SecurityInsights/Entities");
        node.put("kind", "SecurityAlert");
        ObjectNode properties = node.putObject("properties");
        properties.put("systemAlertId", systemAlertId);
        properties.put("alertDisplayName", string(row, "AlertName"));
        properties.put("friendlyName", string(row, "AlertName"));
        properties.put("description", string(row, "Description"));
        properties.put("severity", string(row, "AlertSeverity"));
        properties.put("status", string(row, "Status"));
        properties.put("alertType", string(row, "AlertType"));
        properties.put("productName", string(row, "ProductName"));
        properties.put("providerAlertId", string(row, "ProviderName"));
        properties.put("compromisedEntity", string(row, "CompromisedEntity"));
        properties.put("startTimeUtc", string(row, "StartTime"));
        properties.put("endTimeUtc", string(row, "EndTime"));
        properties.put("timeGenerated", string(row, "TimeGenerated"));
        properties.put("alertLink", string(row, "AlertLink"));
        ArrayNode tactics = properties.putArray("tactics");
        for (String tactic : string(row, "Tactics").split(",")) {
            if (!tactic.isBlank()) {
                tactics.add(tactic.trim());
            }
        }
        return node;
    }

    private static String string(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }

    /** Rules are content (contributor); incidents are worked by responders. */
    private static Reply requireWriter(String method, String[] parts, ApiKeys.Principal principal) {
        ApiKeys.Role needed = ApiKeys.Role.RESPONDER;
        if (parts.length > 0 && parts[0].equals("alertRules")) {
            needed = ApiKeys.Role.CONTRIBUTOR;
        }
        if (!principal.role().includes(needed)) {
            return error(
                    403,
                    "AuthorizationFailed",
                    "The principal '" + principal.name() + "' with role "
                            + principal.role().label() + " may not " + method + " this resource: it needs role "
                            + needed.label() + ".");
        }
        return null;
    }

    private RuleLibrary library() {
        return new RuleLibrary(runtime.workspace().dataDir());
    }

    private List<Incident> incidents() throws InterruptedException {
        return new AlertSink(runtime.store(), engine, QueryLimits.DEFAULT).currentIncidents(clock.instant());
    }

    /** Sentinel names incidents by a GUID; Vigil accepts that name or the incident number. */
    private Optional<Incident> findIncident(String id) throws InterruptedException {
        return incidents().stream()
                .filter(incident -> incident.name().equalsIgnoreCase(id)
                        || Integer.toString(incident.number()).equals(id))
                .findFirst();
    }

    /**
     * A rule in Sentinel's alertRules shape (GetScheduledAlertRule and CreateScheduledAlertRule examples): the
     * schedule and trigger only for Scheduled rules, as Sentinel's NRT rules have none.
     */
    private static ObjectNode alertRule(RuleLibrary.StoredRule stored, String armPrefix, Optional<Instant> modified) {
        AnalyticRule rule = stored.rule();
        ObjectNode node = JSON.createObjectNode();
        node.put("id", armPrefix + "alertRules/" + rule.id());
        node.put("name", rule.id());
        node.put("type", "Microsoft.SecurityInsights/alertRules");
        node.put("kind", rule.kind().sentinelName());
        modified.ifPresent(time -> node.put("etag", "\"" + time.toEpochMilli() + "\""));
        ObjectNode properties = node.putObject("properties");
        properties.put("displayName", rule.name());
        properties.put("description", rule.description());
        properties.put("severity", rule.severity().sentinelName());
        properties.put("enabled", stored.enabled());
        properties.put("query", rule.query());
        if (rule.kind() == RuleKind.SCHEDULED) {
            properties.put("queryFrequency", RuleDurations.format(rule.queryFrequency()));
            properties.put("queryPeriod", RuleDurations.format(rule.queryPeriod()));
            properties.put("triggerOperator", rule.triggerOperator().apiName());
            properties.put("triggerThreshold", rule.triggerThreshold());
        }
        properties.put("suppressionEnabled", rule.suppressionEnabled());
        properties.put("suppressionDuration", RuleDurations.format(rule.suppressionDuration()));
        modified.ifPresent(time -> properties.put("lastModifiedUtc", time.toString()));
        rule.version().ifPresent(version -> properties.put("templateVersion", version));
        ArrayNode tactics = properties.putArray("tactics");
        rule.tactics().forEach(tactics::add);
        // Sentinel keeps sub-techniques (T1059.001) apart from techniques (T1059)
        ArrayNode techniques = properties.putArray("techniques");
        ArrayNode subTechniques = properties.putArray("subTechniques");
        for (String technique : rule.relevantTechniques()) {
            if (technique.contains(".")) {
                subTechniques.add(technique);
            } else {
                techniques.add(technique);
            }
        }
        properties
                .putObject("eventGroupingSettings")
                .put("aggregationKind", rule.eventGrouping().sentinelName());
        ObjectNode customDetails = properties.putObject("customDetails");
        rule.customDetails().forEach(customDetails::put);
        ArrayNode entityMappings = properties.putArray("entityMappings");
        for (EntityMapping mapping : rule.entityMappings()) {
            ObjectNode entity = entityMappings.addObject().put("entityType", mapping.entityType());
            ArrayNode fields = entity.putArray("fieldMappings");
            for (EntityMapping.FieldMapping field : mapping.fieldMappings()) {
                fields.addObject().put("identifier", field.identifier()).put("columnName", field.columnName());
            }
        }
        rule.alertDetailsOverride().ifPresent(override -> {
            ObjectNode details = properties.putObject("alertDetailsOverride");
            override.alertDisplayNameFormat().ifPresent(value -> details.put("alertDisplayNameFormat", value));
            override.alertDescriptionFormat().ifPresent(value -> details.put("alertDescriptionFormat", value));
            override.alertTacticsColumnName().ifPresent(value -> details.put("alertTacticsColumnName", value));
            override.alertSeverityColumnName().ifPresent(value -> details.put("alertSeverityColumnName", value));
            ArrayNode dynamic = details.putArray("alertDynamicProperties");
            for (AlertDetailsOverride.DynamicProperty property : override.alertDynamicProperties()) {
                dynamic.addObject()
                        .put("alertProperty", property.alertProperty())
                        .put("value", property.value());
            }
        });
        IncidentConfiguration incidents = rule.incidentConfiguration();
        ObjectNode incidentConfiguration = properties.putObject("incidentConfiguration");
        incidentConfiguration.put("createIncident", incidents.createIncident());
        IncidentConfiguration.GroupingConfiguration grouping = incidents.groupingConfiguration();
        ObjectNode groupingNode = incidentConfiguration.putObject("groupingConfiguration");
        groupingNode.put("enabled", grouping.enabled());
        groupingNode.put("reopenClosedIncident", grouping.reopenClosedIncident());
        groupingNode.put("lookbackDuration", RuleDurations.format(grouping.lookbackDuration()));
        groupingNode.put("matchingMethod", grouping.matchingMethod().sentinelName());
        grouping.groupByEntities().forEach(groupingNode.putArray("groupByEntities")::add);
        grouping.groupByAlertDetails().forEach(groupingNode.putArray("groupByAlertDetails")::add);
        grouping.groupByCustomDetails().forEach(groupingNode.putArray("groupByCustomDetails")::add);
        return node;
    }

    private static ObjectNode incident(Incident incident, String armPrefix) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", armPrefix + "incidents/" + incident.name());
        node.put("name", incident.name());
        node.put("etag", "\"" + incident.lastModifiedTime().toEpochMilli() + "\"");
        node.put("type", "Microsoft.SecurityInsights/Incidents");
        ObjectNode properties = node.putObject("properties");
        properties.put("title", incident.title());
        properties.put("description", incident.description());
        properties.put("severity", incident.severity().sentinelName());
        properties.put("status", incident.status().sentinelName());
        incident.classification().ifPresent(value -> properties.put("classification", value));
        incident.classificationReason().ifPresent(value -> properties.put("classificationReason", value));
        incident.classificationComment().ifPresent(value -> properties.put("classificationComment", value));
        ObjectNode owner = properties.putObject("owner");
        incident.owner().ifPresent(value -> owner.put("assignedTo", value));
        properties.put("incidentNumber", incident.number());
        properties.put("createdTimeUtc", incident.createdTime().toString());
        properties.put("lastModifiedTimeUtc", incident.lastModifiedTime().toString());
        properties.put("firstActivityTimeUtc", incident.firstActivityTime().toString());
        properties.put("lastActivityTimeUtc", incident.lastActivityTime().toString());
        ArrayNode labels = properties.putArray("labels");
        incident.labels()
                .forEach(label -> labels.addObject().put("labelName", label).put("labelType", "User"));
        ArrayNode ruleIds = properties.putArray("relatedAnalyticRuleIds");
        incident.ruleIds().forEach(rule -> ruleIds.add(armPrefix + "alertRules/" + rule));
        ObjectNode additional = properties.putObject("additionalData");
        additional.put("alertsCount", incident.alertIds().size());
        additional.put("commentsCount", incident.comments().size());
        ArrayNode tactics = additional.putArray("tactics");
        incident.tactics().forEach(tactics::add);
        ArrayNode products = additional.putArray("alertProductNames");
        products.add("Azure Sentinel");
        return node;
    }

    private static Reply list(ArrayNode value) {
        ObjectNode body = JSON.createObjectNode();
        body.set("value", value);
        return new Reply(200, body);
    }

    private static Reply notFound(String what, String id) {
        return error(404, "NotFound", "No " + what + " '" + id + "' in this workspace.");
    }

    private static Reply error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return new Reply(status, body);
    }
}
