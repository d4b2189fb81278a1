package io.vigil.generator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Alerts. {@code alerts/defender-alerts.json}: a JSON array of Microsoft Defender for Cloud alerts
 * in the shape continuous export and workflow automation deliver (PascalCase properties of the
 * Microsoft.Security alert resource, as in the SecurityAlert table). {@code
 * alerts/azure-monitor-alerts.json}: a JSON array of webhook payloads in the Azure Monitor common
 * alert schema ({@code schemaId}, {@code data.essentials}, {@code data.alertContext}).
 */
final class AlertWriter {
    private AlertWriter() {}

    static void write(Output out, GeneratorOptions options, Story story) throws IOException {
        Rand rand = Rand.of(options.seed(), "alerts");
        ArrayNode defender = Output.array();
        defender.add(defenderAlert(
                rand,
                story.at(Story.EXFIL_END + 120),
                story.at(Story.EXFIL_START),
                story.at(Story.EXFIL_END),
                "Unusual amount of data extracted from a storage account",
                "Storage.Blob_DataExfiltration.AmountOfDataAnomaly",
                "High",
                "Exfiltration",
                Estate.STORAGE_FINANCE,
                Estate.storageAccountId(Estate.STORAGE_FINANCE),
                "Storage",
                "Microsoft Defender for Storage",
                "An unusually large amount of data was extracted from container 'finance' compared to recent activity on this container.",
                List.of(
                        "Limit access to the storage account following the principle of least privilege.",
                        "Revoke the credentials of the requesting principal and review its role assignments.")));
        defender.add(defenderAlert(
                rand,
                story.at(Story.SERVICE_INSTALLED + 180),
                story.at(Story.SERVICE_INSTALLED),
                story.at(Story.SERVICE_INSTALLED),
                "Suspicious service installation",
                "VM_SuspiciousServiceInstallation",
                "High",
                "Persistence",
                Estate.VM_WEB.name(),
                Estate.VM_WEB.resourceId(),
                "Servers",
                "Microsoft Defender for Servers",
                "A new service 'WinSvcUpdate' running 'C:\\ProgramData\\svcupd\\updsvc.exe' as LocalSystem was installed by 'azureadmin' shortly after an RDP logon from "
                        + Estate.ATTACKER_IP + ".",
                List.of(
                        "Isolate the machine and investigate the installed binary.",
                        "Remove the service and reset local administrator credentials.")));
        defender.add(defenderAlert(
                rand,
                options.start().plusSeconds(options.hours() * 3600L / 4),
                options.start().plusSeconds(options.hours() * 3600L / 4 - 600),
                options.start().plusSeconds(options.hours() * 3600L / 4),
                "Failed SSH brute force attack",
                "SSH_BruteForce_Failed",
                "Medium",
                "PreAttack",
                Estate.VM_LINUX_1.name(),
                Estate.VM_LINUX_1.resourceId(),
                "Servers",
                "Microsoft Defender for Servers",
                "Failed brute force attacks were detected from many source addresses against sshd.",
                List.of("Consider restricting SSH to known addresses with just-in-time VM access.")));
        out.write("alerts/defender-alerts.json", Output.json(defender) + "\n");
        out.count("defender_alerts", defender.size());

        ArrayNode monitor = Output.array();
        Instant ruleChange = story.at(Story.NSG_RULE_OPENED + 60);
        ObjectNode activityAlert = commonAlert(
                rand,
                ruleChange,
                "nsg-rule-changed",
                "Sev1",
                "Activity Log",
                "Activity Log - Administrative",
                Estate.nsgId(Estate.VM_WEB.nsg()),
                "Fired",
                "A network security group rule was created or updated.");
        ObjectNode context = ((ObjectNode) activityAlert.get("data")).putObject("alertContext");
        context.put(
                "authorization",
                "{\"action\":\"Microsoft.Network/networkSecurityGroups/securityRules/write\",\"scope\":\""
                        + Estate.nsgId(Estate.VM_WEB.nsg()) + "/securityRules/" + Estate.OPEN_RULE + "\"}");
        context.put("channels", "Operation");
        context.put(
                "claims",
                "{\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn\":\"" + Estate.VICTIM.upn()
                        + "\",\"ipaddr\":\"" + Estate.ATTACKER_IP + "\"}");
        context.put("caller", Estate.VICTIM.upn());
        context.put("correlationId", rand.guid());
        context.put("eventSource", "Administrative");
        context.put("eventTimestamp", Timestamps.azure(story.at(Story.NSG_RULE_OPENED)));
        context.put("eventDataId", rand.guid());
        context.put("level", "Informational");
        context.put("operationName", "Microsoft.Network/networkSecurityGroups/securityRules/write");
        context.put("operationId", rand.guid());
        context.put("status", "Succeeded");
        context.put("subStatus", "Created");
        context.put("submissionTimestamp", Timestamps.azure(story.at(Story.NSG_RULE_OPENED + 30)));
        monitor.add(activityAlert);
        Instant cpu = options.start().plusSeconds(options.hours() * 3600L / 2);
        ObjectNode metricAlert = commonAlert(
                rand,
                cpu,
                "high-cpu-vm-app-01",
                "Sev3",
                "Metric",
                "Platform",
                Estate.VM_APP.resourceId(),
                "Fired",
                "CPU above 85% for 5 minutes.");
        ObjectNode metricContext = ((ObjectNode) metricAlert.get("data")).putObject("alertContext");
        metricContext.putNull("properties");
        metricContext.put("conditionType", "SingleResourceMultipleMetricCriteria");
        ObjectNode condition = metricContext.putObject("condition");
        condition.put("windowSize", "PT5M");
        ObjectNode criterion = condition.putArray("allOf").addObject();
        criterion.put("metricName", "Percentage CPU");
        criterion.put("metricNamespace", "Microsoft.Compute/virtualMachines");
        criterion.put("operator", "GreaterThan");
        criterion.put("threshold", "85");
        criterion.put("timeAggregation", "Average");
        criterion.putArray("dimensions");
        criterion.put("metricValue", 91.4);
        condition.put("windowStartTime", Timestamps.azure(cpu.minusSeconds(300)));
        condition.put("windowEndTime", Timestamps.azure(cpu));
        monitor.add(metricAlert);
        out.write("alerts/azure-monitor-alerts.json", Output.json(monitor) + "\n");
        out.count("monitor_alerts", monitor.size());
    }

    private static ObjectNode defenderAlert(
            Rand rand,
            Instant generated,
            Instant start,
            Instant end,
            String displayName,
            String alertType,
            String severity,
            String intent,
            String compromised,
            String resourceId,
            String component,
            String product,
            String description,
            List<String> remediation) {
        String systemAlertId = "2517" + rand.between(100_000_000_000L, 999_999_999_999L) + "_" + rand.guid();
        ObjectNode alert = Output.object();
        alert.put("AlertDisplayName", displayName);
        alert.put("AlertName", displayName);
        alert.put("AlertType", alertType);
        alert.put("Severity", severity);
        alert.put("Description", description);
        alert.put("StartTimeUtc", Timestamps.azure(start));
        alert.put("EndTimeUtc", Timestamps.azure(end));
        alert.put("TimeGenerated", Timestamps.azure(generated));
        alert.put("ProcessingEndTime", Timestamps.azure(generated.plusSeconds(40)));
        alert.put("SystemAlertId", systemAlertId);
        alert.put(
                "AlertUri",
                "https://portal.azure.com/#blade/Microsoft_Azure_Security_AzureDefenderForData/AlertBlade/alertId/"
                        + systemAlertId + "/subscriptionId/" + Estate.SUBSCRIPTION_ID
                        + "/referencedFrom/alertDeepLink/location/westeurope");
        alert.put("CompromisedEntity", compromised);
        alert.put("Intent", intent);
        alert.put("Status", "Active");
        alert.put("IsIncident", false);
        alert.put("VendorName", "Microsoft");
        alert.put("ProductName", product);
        alert.put("ProductComponentName", component);
        alert.put("AzureResourceId", resourceId);
        alert.put("WorkspaceSubscriptionId", Estate.SUBSCRIPTION_ID);
        ArrayNode steps = alert.putArray("RemediationSteps");
        remediation.forEach(steps::add);
        ArrayNode entities = alert.putArray("Entities");
        ObjectNode resource = entities.addObject();
        resource.put("$id", "1");
        resource.put("ResourceId", resourceId);
        resource.put("Type", "azure-resource");
        // the story's alerts name the attacker's address; the background brute force came from many
        if (alertType.startsWith("Storage") || alertType.startsWith("VM_Suspicious")) {
            ObjectNode ip = entities.addObject();
            ip.put("$id", "2");
            ip.put("Address", Estate.ATTACKER_IP);
            ip.put("Type", "ip");
        }
        if (alertType.startsWith("Storage")) {
            ObjectNode app = entities.addObject();
            app.put("$id", "3");
            app.put("AppId", Estate.ROGUE_SP.appId());
            app.put("Name", Estate.ROGUE_SP.displayName());
            app.put("Type", "cloud-application");
        } else if (alertType.startsWith("VM_Suspicious")) {
            ObjectNode host = entities.addObject();
            host.put("$id", "3");
            host.put("HostName", Estate.VM_WEB.name());
            host.put("AzureID", resourceId);
            host.put("OSFamily", "Windows");
            host.put("Type", "host");
            ObjectNode account = entities.addObject();
            account.put("$id", "4");
            account.put("Name", "azureadmin");
            account.put("NTDomain", Estate.VM_WEB.name().toUpperCase(java.util.Locale.ROOT));
            account.put("Type", "account");
        }
        ObjectNode extended = alert.putObject("ExtendedProperties");
        extended.put("resourceType", component);
        if (alertType.startsWith("Storage")) {
            extended.put("Client IP address", Estate.ATTACKER_IP);
            extended.put("Container", "finance");
            extended.put("Extracted data size", "412 MB");
            extended.put("Application ID", Estate.ROGUE_SP.appId());
        } else if (alertType.startsWith("VM_Suspicious")) {
            extended.put("Service name", "WinSvcUpdate");
            extended.put("Service file name", "C:\\ProgramData\\svcupd\\updsvc.exe");
            extended.put("Account", "azureadmin");
        } else {
            extended.put("Top accounts with failed sign in attempts", "root (320), admin (140)");
        }
        return alert;
    }

    private static ObjectNode commonAlert(
            Rand rand,
            Instant fired,
            String rule,
            String severity,
            String signalType,
            String service,
            String target,
            String condition,
            String description) {
        ObjectNode payload = Output.object();
        payload.put("schemaId", "azureMonitorCommonAlertSchema");
        ObjectNode essentials = payload.putObject("data").putObject("essentials");
        essentials.put(
                "alertId",
                "/subscriptions/" + Estate.SUBSCRIPTION_ID + "/providers/Microsoft.AlertsManagement/alerts/"
                        + rand.guid());
        essentials.put("alertRule", rule);
        String kind = signalType.equals("Metric") ? "metricAlerts" : "activityLogAlerts";
        essentials.put(
                "alertRuleID",
                Estate.resourceGroupId(Estate.RG_OPS) + "/providers/microsoft.insights/" + kind + "/" + rule);
        essentials.put("severity", severity);
        essentials.put("signalType", signalType);
        essentials.put("monitorCondition", condition);
        essentials.put("monitoringService", service);
        essentials.putArray("alertTargetIDs").add(target.toLowerCase(java.util.Locale.ROOT));
        essentials.putArray("configurationItems").add(target.substring(target.lastIndexOf('/') + 1));
        essentials.put("originAlertId", rand.guid());
        essentials.put("firedDateTime", Timestamps.azure(fired));
        essentials.put("description", description);
        essentials.put("essentialsVersion", "1.0");
        essentials.put("alertContextVersion", "1.0");
        return payload;
    }
}
