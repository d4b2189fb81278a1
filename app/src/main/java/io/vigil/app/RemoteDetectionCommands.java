package io.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The rules, alerts and incidents commands with {@code --server}: the same output as on a data folder, from the
 * server's REST API (Sentinel's alertRules and incidents shapes, the query API for alerts).
 */
final class RemoteDetectionCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RemoteDetectionCommands() {}

    /** One command's work against the server. */
    @FunctionalInterface
    interface Work {
        int run() throws IOException, InterruptedException, SecurityInsightsClient.Failure;
    }

    /** Runs the work; a server error is printed with its status (exit 2 for an unknown resource, else 1). */
    static int run(Work work) throws IOException, InterruptedException {
        try {
            return work.run();
        } catch (SecurityInsightsClient.Failure failure) {
            System.err.println("vigil: server answered " + failure.status() + ": " + failure.getMessage());
            if (failure.status() == 404) {
                return 2;
            }
            return 1;
        }
    }

    static int listRules(SecurityInsightsClient client)
            throws IOException, InterruptedException, SecurityInsightsClient.Failure {
        for (JsonNode rule : client.get("alertRules").path("value")) {
            JsonNode properties = rule.path("properties");
            System.out.println(String.join(
                    "\t",
                    rule.path("name").asText(),
                    state(properties),
                    rule.path("kind").asText(),
                    properties.path("severity").asText(),
                    properties.path("displayName").asText()));
        }
        return 0;
    }

    static int showRule(SecurityInsightsClient client, String idOrName)
            throws IOException, InterruptedException, SecurityInsightsClient.Failure {
        Optional<JsonNode> found = findRule(client, idOrName);
        if (found.isEmpty()) {
            System.err.println("vigil: no rule " + idOrName);
            return 2;
        }
        JsonNode rule = found.get();
        JsonNode properties = rule.path("properties");
        System.out.println("id: " + rule.path("name").asText());
        System.out.println("name: " + properties.path("displayName").asText());
        System.out.println("state: " + state(properties));
        System.out.println("kind: " + rule.path("kind").asText());
        System.out.println("severity: " + properties.path("severity").asText());
        // NRT rules have no schedule or trigger in Sentinel's shape: they run every minute on any row
        System.out.println(
                "queryFrequency: " + properties.path("queryFrequency").asText("PT1M"));
        System.out.println("queryPeriod: " + properties.path("queryPeriod").asText("PT1M"));
        System.out.println("trigger: " + properties.path("triggerOperator").asText("GreaterThan") + " "
                + properties.path("triggerThreshold").asInt(0));
        System.out.println("query:");
        System.out.println(properties.path("query").asText().strip());
        return 0;
    }

    /** Sentinel has no enable call: the rule is read, its {@code enabled} changed and put back. */
    static int setRuleEnabled(SecurityInsightsClient client, String idOrName, boolean enabled)
            throws IOException, InterruptedException, SecurityInsightsClient.Failure {
        Optional<JsonNode> found = findRule(client, idOrName);
        if (found.isEmpty()) {
            System.err.println("vigil: no rule " + idOrName);
            return 2;
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("kind", found.get().path("kind"));
        ObjectNode properties = found.get().path("properties").deepCopy();
        properties.put("enabled", enabled);
        body.set("properties", properties);
        client.put(
                "alertRules/"
                        + SecurityInsightsClient.segment(
                                found.get().path("name").asText()),
                body);
        System.out.println((enabled ? "enabled " : "disabled ")
                + properties.path("displayName").asText());
        return 0;
    }

    static int listAlerts(SecurityInsightsClient client)
            throws IOException, InterruptedException, SecurityInsightsClient.Failure {
        JsonNode answer = client.query("SecurityAlert | order by TimeGenerated desc, AlertName asc | project"
                + " TimeGenerated, AlertSeverity, AlertName, CompromisedEntity, SystemAlertId");
        for (JsonNode row : answer.path("tables").path(0).path("rows")) {
            List<String> values = new ArrayList<>();
            row.forEach(value -> values.add(value.isNull() ? "null" : value.asText()));
            System.out.println(String.join("\t", values));
        }
        return 0;
    }

    static int listIncidents(SecurityInsightsClient client)
            throws IOException, InterruptedException, SecurityInsightsClient.Failure {
        for (JsonNode incident : client.get("incidents").path("value")) {
            JsonNode properties = incident.path("properties");
            System.out.println(String.join(
                    "\t",
                    properties.path("incidentNumber").asText(),
                    properties.path("status").asText(),
                    properties.path("severity").asText(),
                    properties.path("additionalData").path("alertsCount").asInt() + " alerts",
                    properties.path("owner").path("assignedTo").asText("-"),
                    properties.path("title").asText()));
        }
        return 0;
    }

    static int showIncident(SecurityInsightsClient client, int number)
            throws IOException, InterruptedException, SecurityInsightsClient.Failure {
        JsonNode properties = client.get("incidents/" + number).path("properties");
        System.out.println("number: " + properties.path("incidentNumber").asText());
        System.out.println("title: " + properties.path("title").asText());
        System.out.println("status: " + properties.path("status").asText());
        System.out.println("severity: " + properties.path("severity").asText());
        System.out.println(
                "owner: " + properties.path("owner").path("assignedTo").asText("-"));
        String reason = "";
        if (properties.hasNonNull("classificationReason")) {
            reason = " (" + properties.path("classificationReason").asText() + ")";
        }
        System.out.println(
                "classification: " + properties.path("classification").asText("-") + reason);
        System.out.println(
                "activity: " + properties.path("firstActivityTimeUtc").asText() + " .. "
                        + properties.path("lastActivityTimeUtc").asText());
        List<String> rules = new ArrayList<>();
        for (JsonNode rule : properties.path("relatedAnalyticRuleIds")) {
            String id = rule.asText();
            rules.add(id.substring(id.lastIndexOf('/') + 1));
        }
        System.out.println("rules: " + String.join(", ", rules));
        for (JsonNode alert : client.post("incidents/" + number + "/alerts").path("value")) {
            System.out.println(
                    "alert: " + alert.path("properties").path("systemAlertId").asText());
        }
        for (JsonNode comment : client.get("incidents/" + number + "/comments").path("value")) {
            System.out.println(
                    "comment: " + comment.path("properties").path("message").asText());
        }
        return 0;
    }

    /** Sentinel's incident PUT for the fields given, then the comment as Sentinel's comment PUT. */
    static int updateIncident(
            SecurityInsightsClient client,
            int number,
            Optional<String> status,
            Optional<String> owner,
            Optional<String> classification,
            Optional<String> reason,
            Optional<String> comment)
            throws IOException, InterruptedException, SecurityInsightsClient.Failure {
        String resource = "incidents/" + number;
        if (status.isPresent() || owner.isPresent() || classification.isPresent() || reason.isPresent()) {
            ObjectNode body = JSON.createObjectNode();
            ObjectNode properties = body.putObject("properties");
            status.ifPresent(value -> properties.put("status", value));
            owner.ifPresent(value -> properties.putObject("owner").put("assignedTo", value));
            classification.ifPresent(value -> properties.put("classification", value));
            reason.ifPresent(value -> properties.put("classificationReason", value));
            client.put(resource, body);
        }
        if (comment.isPresent()) {
            addComment(client, number, comment.get());
        }
        System.out.println("incident " + number + ": "
                + client.get(resource).path("properties").path("status").asText());
        return 0;
    }

    static void addComment(SecurityInsightsClient client, int number, String message)
            throws IOException, InterruptedException, SecurityInsightsClient.Failure {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").put("message", message);
        client.put("incidents/" + number + "/comments/" + UUID.randomUUID(), body);
    }

    private static String state(JsonNode properties) {
        if (properties.path("enabled").asBoolean()) {
            return "enabled";
        }
        return "disabled";
    }

    /** By id or, when no id matches, exact display name, as the local commands find rules. */
    private static Optional<JsonNode> findRule(SecurityInsightsClient client, String idOrName)
            throws IOException, InterruptedException, SecurityInsightsClient.Failure {
        JsonNode rules = client.get("alertRules").path("value");
        for (JsonNode rule : rules) {
            if (rule.path("name").asText().equalsIgnoreCase(idOrName)) {
                return Optional.of(rule);
            }
        }
        for (JsonNode rule : rules) {
            if (rule.path("properties").path("displayName").asText().equals(idOrName)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
