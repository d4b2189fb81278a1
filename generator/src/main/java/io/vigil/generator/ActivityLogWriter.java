package io.vigil.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.generator.Estate.ServicePrincipal;
import io.vigil.generator.Estate.User;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Azure Activity log as a subscription diagnostic setting archives it: one {@code PT1H.json} per
 * hour under {@code insights-activity-logs/resourceId=/SUBSCRIPTIONS/<ID>/}, holding a
 * {@code {"records":[...]}} envelope. Record shape per "Azure Monitor activity log schema"
 * (storage-account / Event Hubs schema section): upper-case resourceId and operationName, Start and
 * Success pairs sharing a correlationId, durationMs as a string.
 */
final class ActivityLogWriter {
    static final String OWNER_ROLE_DEFINITION = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    static final String CONTRIBUTOR_ROLE_DEFINITION = "b24988ac-6180-42a0-ab88-20f7382dd24c";

    private record Caller(String name, String objectId, String appId, String ip, boolean application) {}

    private final GeneratorOptions options;
    private final Story story;
    private final Rand rand;
    private final List<Timed<ObjectNode>> records = new ArrayList<>();

    private ActivityLogWriter(GeneratorOptions options, Story story) {
        this.options = options;
        this.story = story;
        this.rand = Rand.of(options.seed(), "activity");
    }

    static void write(Output out, GeneratorOptions options, Story story) throws IOException {
        ActivityLogWriter writer = new ActivityLogWriter(options, story);
        writer.background();
        writer.attack();
        for (Map.Entry<Instant, List<ObjectNode>> hour :
                Timed.byHour(writer.records).entrySet()) {
            String path = "insights-activity-logs/resourceId=/SUBSCRIPTIONS/"
                    + Estate.SUBSCRIPTION_ID.toUpperCase(Locale.ROOT) + "/" + Timestamps.hourPartition(hour.getKey())
                    + "/PT1H.json";
            out.writeRecordsEnvelope(path, hour.getValue());
        }
        out.count("activity", writer.records.size());
    }

    private void background() {
        List<String[]> operations = List.of(
                new String[] {"Microsoft.Compute/virtualMachines/write", "vm", "OK"},
                new String[] {"Microsoft.Compute/virtualMachines/start/action", "vm", "Accepted"},
                new String[] {"Microsoft.Compute/virtualMachines/restart/action", "vm", "Accepted"},
                new String[] {"Microsoft.Storage/storageAccounts/listKeys/action", "storage", "OK"},
                new String[] {"Microsoft.Resources/deployments/write", "deployment", "Created"},
                new String[] {"Microsoft.KeyVault/vaults/write", "vault", "OK"},
                new String[] {"Microsoft.Network/networkSecurityGroups/write", "nsg", "OK"},
                new String[] {"Microsoft.Insights/diagnosticSettings/write", "diag", "OK"});
        List<User> admins = List.of(Estate.USERS.get(0), Estate.USERS.get(2));
        for (int i = Volume.of(options, 450); i > 0; i--) {
            String[] operation = rand.pick(operations);
            Caller caller;
            if (rand.chance(0.4)) {
                ServicePrincipal deploy = Estate.SERVICE_PRINCIPALS.get(1);
                caller = new Caller(deploy.appId(), deploy.objectId(), deploy.appId(), "20.61.15.12", true);
            } else {
                User admin = rand.pick(admins);
                caller = new Caller(
                        admin.upn(), admin.objectId(), Estate.APPS.get(2).appId(), admin.homeIp(), false);
            }
            String resourceId = switch (operation[1]) {
                case "vm" -> rand.pick(Estate.VMS).resourceId();
                case "storage" ->
                    Estate.storageAccountId(rand.pick(List.of(Estate.STORAGE_WEB, Estate.STORAGE_FINANCE)));
                case "deployment" ->
                    Estate.resourceGroupId(Estate.RG_WEB) + "/providers/Microsoft.Resources/deployments/release-"
                            + rand.between(100, 999);
                case "vault" -> Estate.keyVaultId();
                case "nsg" -> Estate.nsgId("nsg-app");
                default ->
                    Estate.storageAccountId(Estate.STORAGE_WEB)
                            + "/providers/microsoft.insights/diagnosticSettings/to-archive";
            };
            Instant time = rand.busyInstant(options.start(), options.end());
            operationPair(time, operation[0], resourceId, caller, operation[2], "Contributor", null);
        }
        // Azure Policy evaluates resources continuously; audit effects land in the Policy category
        for (int i = Volume.of(options, 150); i > 0; i--) {
            Instant time = rand.instant(options.start(), options.end());
            ObjectNode record = base(
                    time,
                    rand.pick(Estate.VMS).resourceId(),
                    "Microsoft.Authorization/policies/audit/action",
                    "Policy",
                    "Success",
                    "Succeeded",
                    rand.guid());
            record.put("callerIpAddress", "");
            record.put("level", "Warning");
            ObjectNode properties = record.putObject("properties");
            properties.put("isComplianceCheck", "True");
            properties.put("resourceLocation", "westeurope");
            properties.put("ancestors", Estate.TENANT_ID);
            properties.put(
                    "policies",
                    "[{\"policyDefinitionId\":\"/providers/Microsoft.Authorization/policyDefinitions/06a78e20-9358-41c9-923c-fb736d382a4d\",\"policyDefinitionName\":\"06a78e20-9358-41c9-923c-fb736d382a4d\",\"policyDefinitionEffect\":\"AuditIfNotExists\",\"policyAssignmentName\":\"SecurityCenterBuiltIn\",\"policyAssignmentDisplayName\":\"ASC Default\",\"policyAssignmentScope\":\"/subscriptions/"
                            + Estate.SUBSCRIPTION_ID + "\"}]");
            properties.put("eventCategory", "Policy");
            properties.put("hierarchy", Estate.TENANT_ID + "/" + Estate.SUBSCRIPTION_ID);
            records.add(new Timed<>(time, record));
        }
        Instant incident = options.start().plusSeconds(options.hours() * 3600L / 3);
        ObjectNode health = base(
                incident,
                Estate.subscriptionId(),
                "Microsoft.ServiceHealth/incident/action",
                "ServiceHealth",
                "Active",
                "",
                rand.guid());
        health.put("callerIpAddress", "");
        health.put("level", "Warning");
        ObjectNode properties = health.putObject("properties");
        properties.put("title", "Degraded latency for Azure Storage in West Europe");
        properties.put("service", "Storage");
        properties.put("region", "West Europe");
        properties.put(
                "communication",
                "Starting at " + Timestamps.millis(incident)
                        + " a subset of customers using Storage in West Europe may experience increased latency.");
        properties.put("incidentType", "Incident");
        properties.put("trackingId", "QK9L-T8Z");
        properties.put("impactStartTime", Timestamps.millis(incident.minusSeconds(900)));
        properties.put(
                "impactedServices",
                "[{\"ImpactedRegions\":[{\"RegionName\":\"West Europe\"}],\"ServiceName\":\"Storage\"}]");
        properties.put("defaultLanguageTitle", "Degraded latency for Azure Storage in West Europe");
        properties.put("stage", "Active");
        properties.put("eventCategory", "ServiceHealth");
        records.add(new Timed<>(incident, health));
    }

    private void attack() {
        User victim = Estate.VICTIM;
        Caller attacker =
                new Caller(victim.upn(), victim.objectId(), Estate.APPS.get(2).appId(), Estate.ATTACKER_IP, false);
        // (c) Owner on the whole subscription for the freshly created service principal
        String assignmentId = "3c1e5f6a-7b8c-4d9e-8f01-23456789abcd";
        String scope = "/subscriptions/" + Estate.SUBSCRIPTION_ID;
        String roleBody =
                "{\"Id\":\"" + assignmentId + "\",\"Properties\":{\"PrincipalId\":\"" + Estate.ROGUE_SP.objectId()
                        + "\",\"PrincipalType\":\"ServicePrincipal\",\"RoleDefinitionId\":\"" + scope
                        + "/providers/Microsoft.Authorization/roleDefinitions/" + OWNER_ROLE_DEFINITION
                        + "\",\"Scope\":\"" + scope
                        + "\",\"Condition\":null,\"ConditionVersion\":null}}";
        operationPair(
                story.at(Story.ROLE_ASSIGNED),
                "Microsoft.Authorization/roleAssignments/write",
                scope + "/providers/Microsoft.Authorization/roleAssignments/" + assignmentId,
                attacker,
                "Created",
                "Owner",
                roleBody);
        // (d) RDP opened to the whole internet on the web tier NSG
        String ruleBody =
                "{\"properties\":{\"protocol\":\"Tcp\",\"sourcePortRange\":\"*\",\"destinationPortRange\":\"3389\","
                        + "\"sourceAddressPrefix\":\"*\",\"destinationAddressPrefix\":\"*\",\"access\":\"Allow\",\"priority\":100,"
                        + "\"direction\":\"Inbound\",\"sourcePortRanges\":[],\"destinationPortRanges\":[],\"sourceAddressPrefixes\":[],"
                        + "\"destinationAddressPrefixes\":[]}}";
        operationPair(
                story.at(Story.NSG_RULE_OPENED),
                "Microsoft.Network/networkSecurityGroups/securityRules/write",
                Estate.nsgId(Estate.VM_WEB.nsg()) + "/securityRules/" + Estate.OPEN_RULE,
                attacker,
                "Created",
                "Owner",
                ruleBody);
        // (f) Defender for Cloud raises its alerts into the Security category as well
        security(
                story.at(Story.EXFIL_END + 120),
                "Storage.Blob_DataExfiltration.AmountOfDataAnomaly",
                Estate.storageAccountId(Estate.STORAGE_FINANCE));
        security(
                story.at(Story.SERVICE_INSTALLED + 180),
                "VM_SuspiciousServiceInstallation",
                Estate.VM_WEB.resourceId());
    }

    private void security(Instant time, String alertType, String resourceId) {
        ObjectNode record = base(
                time,
                resourceId,
                "Microsoft.Security/locations/alerts/activate/action",
                "Security",
                "Active",
                "",
                rand.guid());
        record.put("callerIpAddress", "");
        record.put("level", "Critical");
        ObjectNode properties = record.putObject("properties");
        properties.put("eventCategory", "Security");
        properties.put("eventName", "Security Alert");
        properties.put("operationId", rand.guid());
        properties.put("alertType", alertType);
        properties.put("compromisedEntity", resourceId.substring(resourceId.lastIndexOf('/') + 1));
        properties.put("severity", "High");
        properties.put("hierarchy", Estate.TENANT_ID + "/" + Estate.SUBSCRIPTION_ID);
        records.add(new Timed<>(time, record));
    }

    private void operationPair(
            Instant start,
            String operation,
            String resourceId,
            Caller caller,
            String status,
            String role,
            String requestBody) {
        String correlationId = rand.guid();
        int duration = rand.between(200, 9000);
        String action = operation;
        ObjectNode started = base(start, resourceId, operation, "Administrative", "Start", "Started.", correlationId);
        started.put("callerIpAddress", caller.ip());
        started.set("identity", identity(start, caller, resourceId, action, role));
        started.put("level", "Informational");
        ObjectNode startedProperties = started.putObject("properties");
        if (requestBody != null) {
            startedProperties.put("requestbody", requestBody);
        }
        describe(startedProperties, resourceId, operation);
        records.add(new Timed<>(start, started));

        Instant finish = start.plusMillis(duration);
        ObjectNode succeeded =
                base(finish, resourceId, operation, "Administrative", "Success", "Succeeded." + status, correlationId);
        succeeded.put("durationMs", Integer.toString(duration));
        succeeded.put("callerIpAddress", caller.ip());
        succeeded.set("identity", identity(start, caller, resourceId, action, role));
        succeeded.put("level", "Informational");
        ObjectNode properties = succeeded.putObject("properties");
        properties.put("statusCode", status);
        properties.put("serviceRequestId", rand.guid());
        describe(properties, resourceId, operation);
        records.add(new Timed<>(finish, succeeded));
    }

    private static void describe(ObjectNode properties, String resourceId, String operation) {
        properties.put("eventCategory", "Administrative");
        properties.put("entity", resourceId);
        properties.put("message", operation);
        properties.put("hierarchy", Estate.TENANT_ID + "/" + Estate.SUBSCRIPTION_ID);
    }

    private ObjectNode base(
            Instant time,
            String resourceId,
            String operation,
            String category,
            String resultType,
            String resultSignature,
            String correlationId) {
        ObjectNode record = Output.object();
        record.put("time", Timestamps.azure(time));
        record.put("resourceId", Estate.upper(resourceId));
        record.put("operationName", operation.toUpperCase(Locale.ROOT));
        record.put("category", category);
        record.put("resultType", resultType);
        record.put("resultSignature", resultSignature);
        record.put("durationMs", "0");
        record.put("callerIpAddress", "");
        record.put("correlationId", correlationId);
        record.put("location", "global");
        record.put("tenantId", Estate.TENANT_ID);
        return record;
    }

    private ObjectNode identity(Instant time, Caller caller, String resourceId, String action, String role) {
        ObjectNode identity = Output.object();
        ObjectNode authorization = identity.putObject("authorization");
        authorization.put("scope", resourceId);
        authorization.put("action", action);
        ObjectNode evidence = authorization.putObject("evidence");
        evidence.put("role", role);
        evidence.put("roleAssignmentScope", "/subscriptions/" + Estate.SUBSCRIPTION_ID);
        evidence.put(
                "roleAssignmentId",
                EntraWriter.stableGuid(caller.objectId() + role).replace("-", ""));
        String definition = CONTRIBUTOR_ROLE_DEFINITION;
        if (role.equals("Owner")) {
            definition = OWNER_ROLE_DEFINITION;
        }
        evidence.put("roleDefinitionId", definition.replace("-", ""));
        evidence.put("principalId", caller.objectId().replace("-", ""));
        evidence.put("principalType", caller.application() ? "ServicePrincipal" : "User");
        ObjectNode claims = identity.putObject("claims");
        long issued = time.getEpochSecond() - rand.between(60, 3000);
        claims.put("aud", "https://management.core.windows.net/");
        claims.put("iss", "https://sts.windows.net/" + Estate.TENANT_ID + "/");
        claims.put("iat", Long.toString(issued));
        claims.put("nbf", Long.toString(issued));
        claims.put("exp", Long.toString(issued + 4500));
        claims.put("appid", caller.appId());
        claims.put("appidacr", caller.application() ? "1" : "0");
        claims.put("idtyp", caller.application() ? "app" : "user");
        claims.put("ipaddr", caller.ip());
        if (!caller.application()) {
            claims.put("http://schemas.microsoft.com/claims/authnmethodsreferences", "pwd");
            claims.put("name", caller.name());
            claims.put("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", caller.name());
            claims.put("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", caller.name());
        }
        claims.put("http://schemas.microsoft.com/identity/claims/objectidentifier", caller.objectId());
        claims.put("http://schemas.microsoft.com/identity/claims/tenantid", Estate.TENANT_ID);
        claims.put("ver", "1.0");
        return identity;
    }
}
