package io.vigil.generator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.generator.Estate.App;
import io.vigil.generator.Estate.Location;
import io.vigil.generator.Estate.ServicePrincipal;
import io.vigil.generator.Estate.User;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Microsoft Entra ID sign-in and audit logs as diagnostic settings export them to a storage account:
 * one NDJSON {@code PT1H.json} per hour under {@code insights-logs-<category>/tenantId=<id>/}. Record
 * shape per "Microsoft Entra sign-in logs schema" and the Graph signIn / directoryAudit resources
 * that populate {@code properties}.
 */
final class EntraWriter {
    private static final Map<Integer, String> FAILURE_REASONS = Map.of(
            50126, "Error validating credentials due to invalid username or password.",
            50074, "Strong Authentication is required.",
            50140, "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in.",
            50055, "The password is expired.",
            700016, "Application with identifier was not found in the directory.");

    private static final String STORAGE_RESOURCE_ID = "e406a681-f3d4-42a8-90b6-c2b029497af1";
    private static final String ARM_RESOURCE_ID = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

    private final GeneratorOptions options;
    private final Story story;
    private final Rand rand;
    private final List<Timed<ObjectNode>> interactive = new ArrayList<>();
    private final List<Timed<ObjectNode>> nonInteractive = new ArrayList<>();
    private final List<Timed<ObjectNode>> servicePrincipal = new ArrayList<>();
    private final List<Timed<ObjectNode>> managedIdentity = new ArrayList<>();
    private final List<Timed<ObjectNode>> audit = new ArrayList<>();

    private EntraWriter(GeneratorOptions options, Story story) {
        this.options = options;
        this.story = story;
        this.rand = Rand.of(options.seed(), "entra");
    }

    static void write(Output out, GeneratorOptions options, Story story) throws IOException {
        EntraWriter writer = new EntraWriter(options, story);
        writer.background();
        writer.attack();
        writer.flush(out, "signinlogs", "signin", writer.interactive);
        writer.flush(out, "noninteractiveusersigninlogs", "noninteractive_signin", writer.nonInteractive);
        writer.flush(out, "serviceprincipalsigninlogs", "service_principal_signin", writer.servicePrincipal);
        writer.flush(out, "managedidentitysigninlogs", "managed_identity_signin", writer.managedIdentity);
        writer.flush(out, "auditlogs", "entra_audit", writer.audit);
    }

    private void flush(Output out, String folder, String kind, List<Timed<ObjectNode>> records) throws IOException {
        SortedMap<Instant, List<ObjectNode>> hours = Timed.byHour(records);
        for (Map.Entry<Instant, List<ObjectNode>> hour : hours.entrySet()) {
            String path = "insights-logs-" + folder + "/tenantId=" + Estate.TENANT_ID + "/"
                    + Timestamps.hourPartition(hour.getKey()) + "/PT1H.json";
            out.writeLines(path, hour.getValue());
        }
        out.count(kind, records.size());
    }

    private void background() {
        Instant start = options.start();
        Instant end = options.end();
        List<App> userApps = List.of(Estate.APPS.get(0), Estate.APPS.get(1), Estate.APPS.get(4), Estate.APPS.get(2));
        for (int i = Volume.of(options, 2400); i > 0; i--) {
            User user = rand.pick(Estate.USERS);
            App app = rand.pick(userApps);
            if (user.admin() && rand.chance(0.3)) {
                app = Estate.APPS.get(3);
            }
            int errorCode = 0;
            double roll = rand.unit();
            if (roll < 0.015) {
                errorCode = 50126;
            } else if (roll < 0.035) {
                errorCode = 50074;
            } else if (roll < 0.045) {
                errorCode = 50140;
            }
            Instant time = rand.busyInstant(start, end);
            interactive.add(new Timed<>(
                    time,
                    userSignIn("SignInLogs", time, user, app, user.homeIp(), user.home(), errorCode, "none", true)));
        }
        for (int i = Volume.of(options, 20000); i > 0; i--) {
            User user = rand.pick(Estate.USERS);
            App app = rand.pick(userApps);
            Instant time = rand.busyInstant(start, end);
            nonInteractive.add(new Timed<>(
                    time,
                    userSignIn(
                            "NonInteractiveUserSignInLogs",
                            time,
                            user,
                            app,
                            user.homeIp(),
                            user.home(),
                            0,
                            "none",
                            false)));
        }
        for (int i = Volume.of(options, 3000); i > 0; i--) {
            ServicePrincipal principal = rand.pick(Estate.SERVICE_PRINCIPALS);
            Instant time = rand.instant(start, end);
            int errorCode = 0;
            if (rand.chance(0.01)) {
                errorCode = 700016;
            }
            servicePrincipal.add(new Timed<>(
                    time,
                    principalSignIn(
                            "ServicePrincipalSignInLogs",
                            time,
                            principal,
                            "20.61.15." + rand.between(10, 20),
                            errorCode)));
        }
        for (int i = Volume.of(options, 3000); i > 0; i--) {
            ServicePrincipal identity = rand.pick(Estate.MANAGED_IDENTITIES);
            Instant time = rand.instant(start, end);
            managedIdentity.add(new Timed<>(
                    time, principalSignIn("ManagedIdentitySignInLogs", time, identity, Estate.VM_APP.privateIp(), 0)));
        }
        List<String[]> activities = List.of(
                new String[] {"Update user", "UserManagement", "Update", "User"},
                new String[] {"Add member to group", "GroupManagement", "Assign", "Group"},
                new String[] {"Reset password (by admin)", "UserManagement", "Reset", "User"},
                new String[] {"Update device", "Device", "Update", "Device"},
                new String[] {"Consent to application", "ApplicationManagement", "Assign", "ServicePrincipal"},
                new String[] {"Update conditional access policy", "Policy", "Update", "Policy"});
        for (int i = Volume.of(options, 300); i > 0; i--) {
            String[] activity = rand.pick(activities);
            User initiator = rand.pick(Estate.USERS.subList(0, 3));
            User target = rand.pick(Estate.USERS);
            Instant time = rand.busyInstant(start, end);
            String targetName = target.displayName();
            if (activity[3].equals("Device")) {
                targetName = "LT-" + target.sam().toUpperCase(java.util.Locale.ROOT);
            } else if (activity[3].equals("Group")) {
                targetName = rand.pick(List.of("Finance", "Engineering", "VPN Users", "All Staff"));
            } else if (activity[3].equals("Policy")) {
                targetName = "Require MFA for admins";
            } else if (activity[3].equals("ServicePrincipal")) {
                targetName = rand.pick(Estate.SERVICE_PRINCIPALS).displayName();
            }
            audit.add(new Timed<>(
                    time,
                    auditRecord(
                            time,
                            activity[0],
                            activity[1],
                            activity[2],
                            initiator,
                            initiator.homeIp(),
                            activity[3],
                            rand.guid(),
                            targetName)));
        }
    }

    private void attack() {
        // (a) password spray: three rounds over ten users, one attempt every 30 seconds (uncompressed)
        List<User> sprayed = Estate.USERS.subList(0, 10);
        double step = (Story.SPRAY_END - Story.SPRAY_START) / 30.0;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < sprayed.size(); i++) {
                Instant time = story.at(Story.SPRAY_START + (round * sprayed.size() + i) * step + rand.unit() * 5);
                interactive.add(new Timed<>(
                        time,
                        userSignIn(
                                "SignInLogs",
                                time,
                                sprayed.get(i),
                                Estate.APPS.get(0),
                                Estate.SPRAY_IP,
                                Estate.AMSTERDAM,
                                50126,
                                "none",
                                true)));
            }
        }
        // (b) the sprayed password works from a country the victim never signed in from
        Instant risky = story.at(Story.RISKY_SIGN_IN);
        interactive.add(new Timed<>(
                risky,
                userSignIn(
                        "SignInLogs",
                        risky,
                        Estate.VICTIM,
                        Estate.APPS.get(2),
                        Estate.ATTACKER_IP,
                        Estate.MOSCOW,
                        0,
                        "high",
                        true)));
        for (int i = 1; i <= 6; i++) {
            Instant time = story.at(Story.RISKY_SIGN_IN + i * 150);
            nonInteractive.add(new Timed<>(
                    time,
                    userSignIn(
                            "NonInteractiveUserSignInLogs",
                            time,
                            Estate.VICTIM,
                            Estate.APPS.get(2),
                            Estate.ATTACKER_IP,
                            Estate.MOSCOW,
                            0,
                            "high",
                            false)));
        }
        // (c) the victim registers an application, its service principal and a secret, then grants it a role
        ServicePrincipal rogue = Estate.ROGUE_SP;
        Instant created = story.at(Story.APP_CREATED);
        audit.add(new Timed<>(
                created,
                auditRecord(
                        created,
                        "Add application",
                        "ApplicationManagement",
                        "Add",
                        Estate.VICTIM,
                        Estate.ATTACKER_IP,
                        "Application",
                        rogue.appId(),
                        rogue.displayName())));
        Instant spCreated = story.at(Story.APP_CREATED + 20);
        audit.add(new Timed<>(
                spCreated,
                auditRecord(
                        spCreated,
                        "Add service principal",
                        "ApplicationManagement",
                        "Add",
                        Estate.VICTIM,
                        Estate.ATTACKER_IP,
                        "ServicePrincipal",
                        rogue.objectId(),
                        rogue.displayName())));
        Instant secret = story.at(Story.APP_CREATED + 60);
        audit.add(new Timed<>(
                secret,
                auditRecord(
                        secret,
                        "Update application \u2013 Certificates and secrets management",
                        "ApplicationManagement",
                        "Update",
                        Estate.VICTIM,
                        Estate.ATTACKER_IP,
                        "Application",
                        rogue.appId(),
                        rogue.displayName())));
        Instant role = story.at(Story.ROLE_ASSIGNED + 30);
        audit.add(new Timed<>(
                role,
                auditRecord(
                        role,
                        "Add member to role",
                        "RoleManagement",
                        "Assign",
                        Estate.VICTIM,
                        Estate.ATTACKER_IP,
                        "ServicePrincipal",
                        rogue.objectId(),
                        rogue.displayName())));
        // the new principal signs in from the attacker address, then repeatedly while it exfiltrates
        Instant first = story.at(Story.ROGUE_SP_SIGN_IN);
        servicePrincipal.add(
                new Timed<>(first, principalSignIn("ServicePrincipalSignInLogs", first, rogue, Estate.ATTACKER_IP, 0)));
        for (int i = 0; i < 5; i++) {
            Instant time = story.at(Story.EXFIL_START + i * 120 - 5);
            servicePrincipal.add(new Timed<>(
                    time, principalSignIn("ServicePrincipalSignInLogs", time, rogue, Estate.ATTACKER_IP, 0)));
        }
    }

    private ObjectNode userSignIn(
            String category,
            Instant time,
            User user,
            App app,
            String ip,
            Location location,
            int errorCode,
            String risk,
            boolean isInteractive) {
        String id = rand.guid();
        String correlationId = rand.guid();
        ObjectNode record =
                envelope(time, "Sign-in activity", category, Integer.toString(errorCode), ip, correlationId);
        if (errorCode != 0) {
            record.put("resultDescription", FAILURE_REASONS.get(errorCode));
        }
        record.put("identity", user.displayName());
        record.put("Level", 4);
        record.put("location", location.country());
        ObjectNode properties = record.putObject("properties");
        properties.put("id", id);
        properties.put("createdDateTime", Timestamps.azure(time));
        properties.put("userDisplayName", user.displayName());
        properties.put("userPrincipalName", user.upn());
        properties.put("userId", user.objectId());
        properties.put("appId", app.appId());
        properties.put("appDisplayName", app.displayName());
        properties.put("ipAddress", ip);
        properties.put("clientAppUsed", isInteractive ? "Browser" : "Mobile Apps and Desktop clients");
        properties.put("userAgent", userAgent(user));
        properties.put("correlationId", correlationId);
        properties.put("conditionalAccessStatus", errorCode == 0 && !risk.equals("high") ? "success" : "notApplied");
        properties.put("originalRequestId", id);
        properties.put("isInteractive", isInteractive);
        properties.put("tokenIssuerName", "");
        properties.put("tokenIssuerType", "AzureAD");
        properties.put("processingTimeInMilliseconds", rand.between(40, 400));
        properties.put("riskDetail", "none");
        properties.put("riskLevelAggregated", risk);
        properties.put("riskLevelDuringSignIn", risk);
        properties.put("riskState", risk.equals("none") ? "none" : "atRisk");
        ArrayNode riskTypes = properties.putArray("riskEventTypes_v2");
        if (risk.equals("high")) {
            riskTypes.add("unfamiliarFeatures");
            riskTypes.add("unlikelyTravel");
        }
        properties.put("resourceDisplayName", app.resource());
        properties.put("resourceId", app.resourceId());
        properties.put(
                "authenticationRequirement",
                user.admin() && !risk.equals("high") ? "multiFactorAuthentication" : "singleFactorAuthentication");
        properties.put("userType", "Member");
        properties.put("crossTenantAccessType", "none");
        ObjectNode status = properties.putObject("status");
        status.put("errorCode", errorCode);
        if (errorCode != 0) {
            status.put("failureReason", FAILURE_REASONS.get(errorCode));
        }
        ObjectNode device = properties.putObject("deviceDetail");
        boolean managed = ip.equals(user.homeIp());
        device.put("deviceId", managed ? deviceId(user) : "");
        device.put("displayName", managed ? "LT-" + user.sam().toUpperCase(java.util.Locale.ROOT) : "");
        device.put("operatingSystem", managed ? user.os() : "Windows 10");
        device.put("browser", managed ? user.browser() : "Chrome 120.0.0");
        device.put("isCompliant", managed);
        device.put("isManaged", managed);
        device.put("trustType", managed ? "Azure AD joined" : "");
        putLocation(properties, location);
        properties.putArray("appliedConditionalAccessPolicies");
        return record;
    }

    private ObjectNode principalSignIn(
            String category, Instant time, ServicePrincipal principal, String ip, int errorCode) {
        String id = rand.guid();
        String correlationId = rand.guid();
        ObjectNode record =
                envelope(time, "Sign-in activity", category, Integer.toString(errorCode), ip, correlationId);
        if (errorCode != 0) {
            record.put("resultDescription", FAILURE_REASONS.get(errorCode));
        }
        record.put("identity", principal.displayName());
        record.put("Level", 4);
        Location location = Estate.DUBLIN;
        if (ip.equals(Estate.ATTACKER_IP)) {
            location = Estate.MOSCOW;
        }
        record.put("location", location.country());
        ObjectNode properties = record.putObject("properties");
        properties.put("id", id);
        properties.put("createdDateTime", Timestamps.azure(time));
        properties.put("appId", principal.appId());
        properties.put("appDisplayName", principal.displayName());
        properties.put("servicePrincipalId", principal.objectId());
        properties.put("servicePrincipalName", principal.displayName());
        properties.put("ipAddress", ip);
        properties.put("correlationId", correlationId);
        properties.put("originalRequestId", id);
        properties.put("isInteractive", false);
        properties.put("conditionalAccessStatus", "notApplied");
        boolean storage = principal.equals(Estate.ROGUE_SP) || rand.chance(0.3);
        properties.put("resourceDisplayName", storage ? "Azure Storage" : "Windows Azure Service Management API");
        properties.put("resourceId", storage ? STORAGE_RESOURCE_ID : ARM_RESOURCE_ID);
        if (category.equals("ManagedIdentitySignInLogs")) {
            properties.put("managedIdentityType", "SystemAssigned");
        } else {
            properties.put("servicePrincipalCredentialKeyId", stableGuid(principal.appId()));
            properties.put("clientCredentialType", "clientSecret");
        }
        ObjectNode status = properties.putObject("status");
        status.put("errorCode", errorCode);
        if (errorCode != 0) {
            status.put("failureReason", FAILURE_REASONS.get(errorCode));
        }
        putLocation(properties, location);
        return record;
    }

    private ObjectNode auditRecord(
            Instant time,
            String activity,
            String category,
            String operationType,
            User initiator,
            String ip,
            String targetType,
            String targetId,
            String targetName) {
        String correlationId = rand.guid();
        ObjectNode record = Output.object();
        record.put("time", Timestamps.azure(time));
        record.put("resourceId", Estate.aadResourceId());
        record.put("operationName", activity);
        record.put("operationVersion", "1.0");
        record.put("category", "AuditLogs");
        record.put("tenantId", Estate.TENANT_ID);
        record.put("resultSignature", "None");
        record.put("durationMs", 0);
        record.put("callerIpAddress", ip);
        record.put("correlationId", correlationId);
        record.put("identity", initiator.displayName());
        record.put("Level", 4);
        ObjectNode properties = record.putObject("properties");
        properties.put(
                "id",
                "Directory_" + correlationId.substring(0, 8).toUpperCase(java.util.Locale.ROOT) + "_"
                        + rand.between(10000, 99999));
        properties.put("category", category);
        properties.put("correlationId", correlationId);
        properties.put("result", "success");
        properties.put("resultReason", "");
        properties.put("activityDisplayName", activity);
        properties.put("activityDateTime", Timestamps.offset(time));
        properties.put("loggedByService", "Core Directory");
        properties.put("operationType", operationType);
        ObjectNode by = properties.putObject("initiatedBy").putObject("user");
        by.put("id", initiator.objectId());
        by.putNull("displayName");
        by.put("userPrincipalName", initiator.upn());
        by.put("ipAddress", ip);
        by.putArray("roles");
        ArrayNode targets = properties.putArray("targetResources");
        ObjectNode target = targets.addObject();
        target.put("id", targetId);
        target.put("displayName", targetName);
        target.put("type", targetType);
        ArrayNode modified = target.putArray("modifiedProperties");
        if (activity.equals("Add member to role")) {
            ObjectNode roleName = modified.addObject();
            roleName.put("displayName", "Role.DisplayName");
            roleName.put("oldValue", "");
            roleName.put("newValue", "\"Application Administrator\"");
            ObjectNode roleTemplate = modified.addObject();
            roleTemplate.put("displayName", "Role.TemplateId");
            roleTemplate.put("oldValue", "");
            roleTemplate.put("newValue", "\"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3\"");
            ObjectNode role = targets.addObject();
            role.put("id", "a4c06f19-3b7d-4e31-8f60-1b2c3d4e5f60");
            role.put("displayName", "Application Administrator");
            role.put("type", "Role");
            role.putArray("modifiedProperties");
        } else if (activity.startsWith("Update application")) {
            ObjectNode credentials = modified.addObject();
            credentials.put("displayName", "KeyDescription");
            credentials.put("oldValue", "[]");
            credentials.put(
                    "newValue",
                    "[\"[KeyIdentifier=" + stableGuid(targetId)
                            + ",KeyType=Password,KeyUsage=Verify,DisplayName=sync]\"]");
        } else {
            ObjectNode property = modified.addObject();
            property.put("displayName", "Included Updated Properties");
            property.put("oldValue", "");
            property.put("newValue", "\"\"");
        }
        ArrayNode details = properties.putArray("additionalDetails");
        ObjectNode agent = details.addObject();
        agent.put("key", "User-Agent");
        agent.put("value", userAgent(initiator));
        return record;
    }

    private ObjectNode envelope(
            Instant time, String operation, String category, String resultType, String ip, String correlationId) {
        ObjectNode record = Output.object();
        record.put("time", Timestamps.azure(time));
        record.put("resourceId", Estate.aadResourceId());
        record.put("operationName", operation);
        record.put("operationVersion", "1.0");
        record.put("category", category);
        record.put("tenantId", Estate.TENANT_ID);
        record.put("resultType", resultType);
        record.put("resultSignature", "None");
        record.put("durationMs", 0);
        record.put("callerIpAddress", ip);
        record.put("correlationId", correlationId);
        return record;
    }

    private static void putLocation(ObjectNode properties, Location location) {
        ObjectNode node = properties.putObject("location");
        node.put("city", location.city());
        node.put("state", location.state());
        node.put("countryOrRegion", location.country());
        ObjectNode coordinates = node.putObject("geoCoordinates");
        coordinates.put("latitude", location.latitude());
        coordinates.put("longitude", location.longitude());
    }

    private static String userAgent(User user) {
        if (user.os().equals("MacOs")) {
            return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        }
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
    }

    private static String deviceId(User user) {
        return stableGuid(user.objectId());
    }

    /** A GUID derived from another id, for ids that must stay the same across records. */
    static String stableGuid(String from) {
        return java.util
                .UUID
                .nameUUIDFromBytes(from.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }
}
