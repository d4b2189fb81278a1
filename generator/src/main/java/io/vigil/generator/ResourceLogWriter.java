package io.vigil.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.generator.Estate.ServicePrincipal;
import io.vigil.generator.StorageTraffic.Request;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Resource logs (the data plane) in the common schema of "Azure resource logs" (top-level time,
 * resourceId, category, operationName, resultType, callerIpAddress, correlationId, identity,
 * properties), written the way a diagnostic setting archives them: NDJSON {@code PT1H.json} blobs
 * under {@code insights-logs-<category>/resourceId=<RESOURCE ID UPPER>/y=/m=/d=/h=/m=00/}.
 * Storage records follow the StorageBlobLogs resource-log schema, Key Vault records the AuditEvent
 * schema, SQL records the SQLSecurityAuditEvents schema.
 */
final class ResourceLogWriter {
    private static final DateTimeFormatter STORAGE_LAST_MODIFIED = DateTimeFormatter.ofPattern(
                    "uuuu/MM/dd HH:mm:ss.SSSSSSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Records grouped by (category folder, resource id), in insertion order of first use. */
    private final SortedMap<String, List<Timed<ObjectNode>>> streams = new TreeMap<>();

    private final SortedMap<String, Long> counts = new TreeMap<>();
    private final GeneratorOptions options;
    private final Story story;
    private final Rand rand;

    private ResourceLogWriter(GeneratorOptions options, Story story) {
        this.options = options;
        this.story = story;
        this.rand = Rand.of(options.seed(), "resource-logs");
    }

    static void write(Output out, GeneratorOptions options, Story story, List<Request> storage) throws IOException {
        ResourceLogWriter writer = new ResourceLogWriter(options, story);
        for (Request request : storage) {
            writer.add(
                    "storage_resource",
                    request.category(),
                    storageServiceId(request.account()),
                    request.time(),
                    storageRecord(request));
        }
        writer.keyVault();
        writer.sql();
        for (Map.Entry<String, List<Timed<ObjectNode>>> stream : writer.streams.entrySet()) {
            for (Map.Entry<Instant, List<ObjectNode>> hour :
                    Timed.byHour(stream.getValue()).entrySet()) {
                out.writeLines(
                        stream.getKey() + "/" + Timestamps.hourPartition(hour.getKey()) + "/PT1H.json",
                        hour.getValue());
            }
        }
        writer.counts.forEach(out::count);
    }

    private void add(String kind, String category, String resourceId, Instant time, ObjectNode record) {
        String folder =
                "insights-logs-" + category.toLowerCase(Locale.ROOT) + "/resourceId=" + Estate.upper(resourceId);
        streams.computeIfAbsent(folder, ignored -> new ArrayList<>()).add(new Timed<>(time, record));
        counts.merge(kind, 1L, Long::sum);
    }

    private static String storageServiceId(String account) {
        return Estate.storageAccountId(account) + "/blobServices/default";
    }

    private static ObjectNode storageRecord(Request request) {
        ObjectNode record = Output.object();
        record.put("time", Timestamps.azure(request.time()));
        record.put("resourceId", storageServiceId(request.account()));
        record.put("category", request.category());
        record.put("operationName", request.operation());
        record.put("operationVersion", "2024-11-04");
        record.put("schemaVersion", "1.0");
        record.put("statusCode", request.httpStatus());
        record.put("statusText", request.statusText());
        record.put("durationMs", request.endToEndMs());
        record.put("callerIpAddress", request.ip() + ":" + request.port());
        record.put("correlationId", request.requestId());
        ObjectNode identity = record.putObject("identity");
        identity.put("type", request.authType());
        if (request.authType().equals("OAuth")) {
            identity.put("tokenHash", sha256Like(request.requestId()));
            ObjectNode authorization = identity.putArray("authorization").addObject();
            authorization.put("action", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read");
            authorization.put("roleAssignmentId", "3c1e5f6a-7b8c-4d9e-8f01-23456789abcd");
            authorization.put("roleDefinitionId", ActivityLogWriter.OWNER_ROLE_DEFINITION);
            ObjectNode principal = authorization.putArray("principals").addObject();
            principal.put("id", request.requesterObjectId());
            principal.put("type", "ServicePrincipal");
            authorization.put("denyAssignmentId", "");
            authorization.put("type", "RBAC");
            authorization.put("result", "Granted");
            authorization.put("reason", "Policy");
            ObjectNode requester = identity.putObject("requester");
            requester.put("appId", request.requesterAppId());
            requester.put("audience", "https://storage.azure.com/");
            requester.put("objectId", request.requesterObjectId());
            requester.put("tenantId", Estate.TENANT_ID);
            requester.put("tokenIssuer", "https://sts.windows.net/" + Estate.TENANT_ID + "/");
        } else if (request.authType().equals("AccountKey")) {
            identity.put("tokenHash", "key1(" + sha256Like(request.account()) + ")");
        } else if (request.authType().equals("SAS")) {
            identity.put(
                    "tokenHash",
                    "key1(" + sha256Like(request.account()) + "),SasSignature(" + sha256Like(request.requestId())
                            + ")");
        }
        record.put("location", "westeurope");
        ObjectNode properties = record.putObject("properties");
        properties.put("accountName", request.account());
        properties.put("requestUrl", request.url());
        properties.put("userAgentHeader", request.userAgent());
        properties.put("clientRequestId", request.clientRequestId());
        properties.put("etag", request.etag());
        properties.put("serviceType", "blob");
        properties.put("objectKey", request.objectKey());
        properties.put("lastModifiedTime", STORAGE_LAST_MODIFIED.format(request.lastModified()));
        properties.put("metricResponseType", request.httpStatus() < 400 ? "Success" : "ClientOtherError");
        properties.put("serverLatencyMs", request.serverMs());
        properties.put("requestHeaderSize", 560);
        properties.put("responseHeaderSize", 372);
        properties.put("responseBodySize", request.responseBytes());
        properties.put("requestBodySize", request.requestBytes());
        properties.put("contentLengthHeader", request.requestBytes());
        properties.put("tlsVersion", "TLS 1.2");
        properties.put("accessTier", "Hot");
        record.put("uri", request.url());
        record.put("protocol", "HTTPS");
        record.put("resourceType", "Microsoft.Storage/storageAccounts/blobServices");
        return record;
    }

    private void keyVault() {
        List<String[]> operations = List.of(
                new String[] {"SecretGet", "secrets/sql-password"},
                new String[] {"SecretGet", "secrets/storage-connection"},
                new String[] {"KeyGet", "keys/orders-cmk"},
                new String[] {"KeyUnwrap", "keys/orders-cmk"},
                new String[] {"SecretList", "secrets"},
                new String[] {"VaultGet", ""});
        List<ServicePrincipal> callers = List.of(
                Estate.SERVICE_PRINCIPALS.get(0), Estate.MANAGED_IDENTITIES.get(1), Estate.MANAGED_IDENTITIES.get(0));
        for (int i = Volume.of(options, 4000); i > 0; i--) {
            String[] operation = rand.pick(operations);
            ServicePrincipal caller = rand.pick(callers);
            Instant time = rand.instant(options.start(), options.end());
            keyVaultRecord(time, operation[0], operation[1], caller, "10.0.2." + rand.between(4, 12), 200);
        }
        // the new Owner tries the vault, but Key Vault data-plane RBAC does not follow Owner
        for (int i = 0; i < 3; i++) {
            keyVaultRecord(
                    story.at(Story.EXFIL_END + 60 + i * 20),
                    "SecretList",
                    "secrets",
                    Estate.ROGUE_SP,
                    Estate.ATTACKER_IP,
                    403);
        }
    }

    private void keyVaultRecord(
            Instant time, String operation, String path, ServicePrincipal caller, String ip, int status) {
        String vaultUri = "https://" + Estate.KEY_VAULT + ".vault.azure.net/";
        ObjectNode record = Output.object();
        record.put("time", Timestamps.azure(time));
        record.put("resourceId", Estate.upper(Estate.keyVaultId()));
        record.put("operationName", operation);
        record.put("operationVersion", "7.4");
        record.put("category", "AuditEvent");
        record.put("resultType", "Success");
        record.put("resultSignature", status == 200 ? "OK" : "Forbidden");
        record.put("resultDescription", status == 200 ? "" : "Caller is not authorized to perform action on resource.");
        record.put("durationMs", Integer.toString(rand.between(4, 90)));
        record.put("callerIpAddress", ip);
        record.put("correlationId", rand.guid());
        ObjectNode claim = record.putObject("identity").putObject("claim");
        claim.put("http://schemas.microsoft.com/identity/claims/objectidentifier", caller.objectId());
        claim.put("appid", caller.appId());
        claim.put("http://schemas.microsoft.com/identity/claims/tenantid", Estate.TENANT_ID);
        ObjectNode properties = record.putObject("properties");
        properties.put("id", vaultUri + path);
        properties.put(
                "clientInfo", "azsdk-net-Security.KeyVault.Secrets/4.6.0 (.NET 8.0.11; Microsoft Windows 10.0.20348)");
        properties.put("httpStatusCode", status);
        properties.put("requestUri", vaultUri + path + "?api-version=7.4");
        properties.put("isAccessPolicyMatch", status == 200);
        properties.put("isRbacAuthorized", false);
        properties.put("tlsVersion", "TLS1.2");
        add("keyvault", "AuditEvent", Estate.keyVaultId(), time, record);
    }

    private void sql() {
        List<String> statements = List.of(
                "SELECT TOP (50) [o].[Id], [o].[CustomerId], [o].[Total] FROM [dbo].[Orders] AS [o] WHERE [o].[CustomerId] = @p0",
                "INSERT INTO [dbo].[Orders] ([CustomerId], [Total], [CreatedAt]) VALUES (@p0, @p1, @p2)",
                "UPDATE [dbo].[Orders] SET [Status] = @p0 WHERE [Id] = @p1",
                "EXEC [dbo].[usp_RefreshInventory]");
        for (int i = Volume.of(options, 3000); i > 0; i--) {
            Instant time = rand.busyInstant(options.start(), options.end());
            String statement = rand.pick(statements);
            boolean failed = rand.chance(0.01);
            ObjectNode record = Output.object();
            record.put("time", Timestamps.azure(time));
            record.put("resourceId", Estate.upper(Estate.sqlDatabaseId()));
            record.put("category", "SQLSecurityAuditEvents");
            record.put("operationName", "AuditEvent");
            ObjectNode properties = record.putObject("properties");
            properties.put("sequence_number", 1);
            properties.put("event_time", Timestamps.azure(time));
            properties.put("action_id", failed ? "DBAF" : "BCM ");
            properties.put("action_name", failed ? "DATABASE AUTHENTICATION FAILED" : "BATCH COMPLETED");
            properties.put("succeeded", failed ? "false" : "true");
            properties.put("is_column_permission", "false");
            properties.put("session_id", rand.between(51, 400));
            properties.put("class_type", "DB");
            properties.put("duration_milliseconds", rand.between(0, 120));
            properties.put("response_rows", rand.between(0, 50));
            properties.put("affected_rows", rand.between(0, 5));
            properties.put("client_ip", "10.0.2.4");
            properties.put("application_name", "Core Microsoft SqlClient Data Provider");
            properties.put("server_principal_name", "orders-api");
            properties.put("database_principal_name", "orders-api");
            properties.put("server_instance_name", Estate.SQL_SERVER);
            properties.put("database_name", Estate.SQL_DATABASE);
            properties.put("schema_name", "dbo");
            properties.put("object_name", "Orders");
            properties.put("statement", failed ? "" : statement);
            properties.put("additional_information", "");
            properties.put("host_name", "vm-app-01");
            add("sql_audit", "SQLSecurityAuditEvents", Estate.sqlDatabaseId(), time, record);
        }
    }

    /** 64 upper-case hex digits that look like a SHA-256 and stay stable for the same input. */
    private static String sha256Like(String input) {
        String a = EntraWriter.stableGuid(input).replace("-", "");
        String b = EntraWriter.stableGuid(input + "#").replace("-", "");
        return (a + b).toUpperCase(Locale.ROOT);
    }
}
