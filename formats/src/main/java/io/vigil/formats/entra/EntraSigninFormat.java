package io.vigil.formats.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.AzureCategories;
import io.vigil.formats.common.AzureRecordMapper;
import io.vigil.formats.common.AzureRecords;
import io.vigil.formats.common.AzureRow;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entra ID sign-in records (diagnostic-settings export) to the sign-in table their {@code category}
 * names, per "Microsoft Entra sign-in logs schema in Azure Monitor" and the table references
 * (SigninLogs, AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs,
 * AADManagedIdentitySignInLogs). Several columns hold JSON but are typed {@code string} in some of
 * these tables (DeviceDetail, LocationDetails, ConditionalAccessPolicies…); each table's own type is
 * used, so the same field is dynamic in SigninLogs and JSON text in AADNonInteractiveUserSignInLogs.
 */
public final class EntraSigninFormat implements LogFormat, AzureRecordMapper {
    public static final String NAME = "entra_signin";

    private static final Map<String, String> TABLE_BY_CATEGORY = Map.of(
            "signinlogs", "SigninLogs",
            "noninteractiveusersigninlogs", "AADNonInteractiveUserSignInLogs",
            "serviceprincipalsigninlogs", "AADServicePrincipalSignInLogs",
            "managedidentitysigninlogs", "AADManagedIdentitySignInLogs");

    // Graph signIn property → column where the name is not just the property capitalized
    private static final Map<String, String> RENAMED = Map.of(
            "appliedConditionalAccessPolicies", "ConditionalAccessPolicies",
            "resourceId", "ResourceIdentity",
            "riskEventTypes_v2", "RiskEventTypes_V2",
            "ipAddress", "IPAddress",
            "ipAddressFromResourceProvider", "IPAddressFromResourceProvider");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Entra ID sign-in records (interactive, non-interactive, service principal, managed identity)";
    }

    @Override
    public List<String> outputTables() {
        return List.of(
                "SigninLogs",
                "AADNonInteractiveUserSignInLogs",
                "AADServicePrincipalSignInLogs",
                "AADManagedIdentitySignInLogs");
    }

    @Override
    public int detect(byte[] head) {
        return AzureCategories.score(head, AzureCategories.Kind.ENTRA_SIGNIN);
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        AzureRecords.forEach(source, NAME, input, sink, record -> map(source, record, context, sink));
    }

    @Override
    public void map(String source, ObjectNode record, ParseContext context, RecordSink sink) {
        String category = AzureRow.text(record.get("category"));
        String table = null;
        if (category != null) {
            table = TABLE_BY_CATEGORY.get(category.toLowerCase(Locale.ROOT));
        }
        if (table == null) {
            // e.g. MicrosoftServicePrincipalSignInLogs, which has no table in the reference catalog
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, NAME, DeadLetterReason.UNKNOWN_TABLE, "no sign-in table for category " + category, record));
            return;
        }
        EntraRecords.map(source, NAME, record, table, EntraSigninFormat::property, context, sink);
    }

    private static boolean property(String name, JsonNode value, AzureRow row) {
        switch (name) {
            case "status" -> {
                row.json("Status", value);
                // ResultType is the Graph status.errorCode as text: "0" success, "50126" bad password
                JsonNode errorCode = value.get("errorCode");
                if (errorCode != null && !errorCode.isNull()) {
                    row.set("ResultType", errorCode.asText());
                }
                String reason = AzureRow.text(value.get("failureReason"));
                if (reason != null && !reason.equals("Other.")) {
                    row.set("ResultDescription", reason);
                }
                return true;
            }
            case "location" -> {
                row.json("LocationDetails", value);
                row.json("Location", value.get("countryOrRegion"));
                return true;
            }
            case "processingTimeInMilliseconds" -> {
                // SigninLogs spells the column out, the other sign-in tables abbreviate it
                if (row.has("ProcessingTimeInMilliseconds")) {
                    return row.json("ProcessingTimeInMilliseconds", value);
                }
                return row.json("ProcessingTimeInMs", value, "properties." + name);
            }
            default -> {
                String column = RENAMED.getOrDefault(name, EntraRecords.capitalize(name));
                if (!row.has(column)) {
                    return false;
                }
                row.json(column, value, "properties." + name);
                return true;
            }
        }
    }
}
