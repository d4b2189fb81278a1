package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import io.vigil.formats.cef.CefKeys;
import io.vigil.spi.Column;
import io.vigil.spi.Row;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maps a row of any table to a {@link SecurityEvent} (docs/forwarding.md lists the mapping).
 *
 * <ul>
 *   <li>{@code CommonSecurityLog}: the inverse of what Vigil's CEF parser stores, so CEF that came in goes
 *       out with the same header and keys.
 *   <li>{@code SecurityAlert} and {@code SecurityIncident}: name, event class and severity from their
 *       Sentinel columns, the rest under fixed CEF keys.
 *   <li>any other table: event class and name are the table's name, severity 0, {@code rt} and
 *       {@code dvchost} from TimeGenerated and Computer, every other column under its own name.
 * </ul>
 */
final class EventMapping {
    static final String VENDOR = "Vigil";
    static final String PRODUCT = "Vigil";

    // the workspace's own bookkeeping, not the event's
    private static final Set<String> NOT_SENT = Set.of("TenantId", "Type", "_BilledSize", "_IsBillable");
    private static final Set<String> CEF_HEADER_COLUMNS =
            Set.of("DeviceVendor", "DeviceProduct", "DeviceVersion", "DeviceEventClassID", "Activity", "LogSeverity");

    private final String version;

    EventMapping(String version) {
        this.version = requireNonNull(version, "version is null");
    }

    SecurityEvent map(Row row) {
        return switch (row.table().name()) {
            case "CommonSecurityLog" -> commonSecurityLog(row);
            case "SecurityAlert" -> alert(row);
            case "SecurityIncident" -> incident(row);
            default -> generic(row);
        };
    }

    private SecurityEvent commonSecurityLog(Row row) {
        Map<String, String> attributes = new LinkedHashMap<>();
        put(attributes, "rt", row, "TimeGenerated");
        for (Column column : row.table().columns()) {
            String name = column.name();
            if (CEF_HEADER_COLUMNS.contains(name) || NOT_SENT.contains(name) || name.equals("TimeGenerated")) {
                continue;
            }
            CefKeys.keyForColumn(name).ifPresent(key -> put(attributes, key, row, name));
        }
        return new SecurityEvent(
                text(row, "DeviceVendor", VENDOR),
                text(row, "DeviceProduct", PRODUCT),
                text(row, "DeviceVersion", version),
                text(row, "DeviceEventClassID", "CommonSecurityLog"),
                text(row, "Activity", text(row, "DeviceEventClassID", "CommonSecurityLog")),
                Severities.of(row),
                attributes);
    }

    private SecurityEvent alert(Row row) {
        Map<String, String> attributes = new LinkedHashMap<>();
        put(attributes, "rt", row, "TimeGenerated");
        put(attributes, "start", row, "StartTime");
        put(attributes, "end", row, "EndTime");
        put(attributes, "externalId", row, "SystemAlertId");
        put(attributes, "msg", row, "Description");
        put(attributes, "cat", row, "Tactics");
        put(attributes, "dhost", row, "CompromisedEntity");
        labelled(attributes, 1, row, "Techniques");
        labelled(attributes, 2, row, "Status");
        labelled(attributes, 3, row, "AlertLink");
        labelled(attributes, 4, row, "ProviderName");
        labelled(attributes, 5, row, "ConfidenceLevel");
        put(attributes, "deviceExternalId", row, "VendorOriginalId");
        return new SecurityEvent(
                text(row, "VendorName", VENDOR),
                text(row, "ProductName", PRODUCT),
                version,
                text(row, "AlertType", "SecurityAlert"),
                text(row, "AlertName", text(row, "DisplayName", "SecurityAlert")),
                Severities.of(row),
                attributes);
    }

    private SecurityEvent incident(Row row) {
        Map<String, String> attributes = new LinkedHashMap<>();
        put(attributes, "rt", row, "TimeGenerated");
        put(attributes, "start", row, "FirstActivityTime");
        put(attributes, "end", row, "LastActivityTime");
        put(attributes, "externalId", row, "IncidentNumber");
        put(attributes, "msg", row, "Description");
        labelled(attributes, 1, row, "IncidentName");
        labelled(attributes, 2, row, "Status");
        labelled(attributes, 3, row, "IncidentUrl");
        labelled(attributes, 4, row, "Owner");
        labelled(attributes, 5, row, "Classification");
        labelled(attributes, 6, row, "AlertIds");
        return new SecurityEvent(
                VENDOR,
                PRODUCT,
                version,
                "SecurityIncident",
                text(row, "Title", "SecurityIncident"),
                Severities.of(row),
                attributes);
    }

    private SecurityEvent generic(Row row) {
        Map<String, String> attributes = new LinkedHashMap<>();
        put(attributes, "rt", row, "TimeGenerated");
        if (row.table().indexOf("Computer") >= 0) {
            put(attributes, "dvchost", row, "Computer");
        }
        for (Column column : row.table().columns()) {
            String name = column.name();
            if (NOT_SENT.contains(name) || name.equals("TimeGenerated") || name.equals("Computer")) {
                continue;
            }
            put(attributes, name, row, name);
        }
        String table = row.table().name();
        return new SecurityEvent(VENDOR, PRODUCT, version, table, table, 0, attributes);
    }

    /** Sets {@code key} from a column when the column exists and has a value; times as epoch millis (CEF). */
    private static void put(Map<String, String> attributes, String key, Row row, String column) {
        if (row.table().indexOf(column) < 0 || attributes.containsKey(key)) {
            return;
        }
        Object value = row.get(column);
        if (value == null) {
            return;
        }
        if (value instanceof Instant instant) {
            // CEF's timestamp forms include "milliseconds since January 1, 1970" ("Implementing ArcSight CEF")
            attributes.put(key, Long.toString(instant.toEpochMilli()));
            return;
        }
        String text = Texts.text(value);
        if (!text.isEmpty()) {
            attributes.put(key, text);
        }
    }

    /** CEF's custom-string pair: {@code csN} holds the value, {@code csNLabel} says what it is. */
    private static void labelled(Map<String, String> attributes, int slot, Row row, String column) {
        put(attributes, "cs" + slot, row, column);
        if (attributes.containsKey("cs" + slot)) {
            attributes.put("cs" + slot + "Label", column);
        }
    }

    private static String text(Row row, String column, String fallback) {
        if (row.table().indexOf(column) < 0 || row.get(column) == null) {
            return fallback;
        }
        String text = Texts.text(row.get(column));
        if (text.isEmpty()) {
            return fallback;
        }
        return text;
    }
}
