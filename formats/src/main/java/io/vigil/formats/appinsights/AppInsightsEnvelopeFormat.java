package io.vigil.formats.appinsights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.AzureRecordMapper;
import io.vigil.formats.common.AzureRecords;
import io.vigil.formats.common.AzureRow;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.Timestamps;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Dynamic;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.TableCatalogView;
import io.vigil.spi.TableSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Application Insights track envelopes ({@code /v2/track} bodies: a JSON array or NDJSON, optionally
 * gzip-compressed) to the workspace-based App* tables. Envelope fields, tags ({@code ai.*} context
 * keys) and baseData shapes follow the public Application Insights data contracts (the
 * {@code Envelope}, {@code RequestData}, {@code RemoteDependencyData}, {@code ExceptionData},
 * {@code MessageData}, {@code EventData}, {@code PageViewData}, {@code MetricsData} and
 * {@code AvailabilityData} schemas); columns follow "Application Insights telemetry data model" and
 * the App* table references (learn.microsoft.com/azure/azure-monitor/app/data-model-complete).
 */
public final class AppInsightsEnvelopeFormat implements LogFormat, AzureRecordMapper {
    public static final String NAME = "appinsights_envelope";

    // ai.* context tags → columns ("Application Insights context tags", ContextTagKeys)
    private static final Map<String, String> TAGS = Map.ofEntries(
            Map.entry("ai.cloud.role", "AppRoleName"),
            Map.entry("ai.cloud.roleInstance", "AppRoleInstance"),
            Map.entry("ai.application.ver", "AppVersion"),
            Map.entry("ai.operation.id", "OperationId"),
            Map.entry("ai.operation.name", "OperationName"),
            Map.entry("ai.operation.parentId", "ParentId"),
            Map.entry("ai.operation.syntheticSource", "SyntheticSource"),
            Map.entry("ai.session.id", "SessionId"),
            Map.entry("ai.user.id", "UserId"),
            Map.entry("ai.user.authUserId", "UserAuthenticatedId"),
            Map.entry("ai.user.accountId", "UserAccountId"),
            Map.entry("ai.device.type", "ClientType"),
            Map.entry("ai.device.model", "ClientModel"),
            Map.entry("ai.device.os", "ClientOS"),
            Map.entry("ai.device.osVersion", "ClientOS"),
            Map.entry("ai.device.browser", "ClientBrowser"),
            Map.entry("ai.location.ip", "ClientIP"),
            Map.entry("ai.location.city", "ClientCity"),
            Map.entry("ai.location.country", "ClientCountryOrRegion"),
            Map.entry("ai.location.province", "ClientStateOrProvince"),
            Map.entry("ai.internal.sdkVersion", "SDKVersion"));

    /** The baseType of each telemetry type and its table. */
    enum Telemetry {
        REQUEST("RequestData", "AppRequests"),
        DEPENDENCY("RemoteDependencyData", "AppDependencies"),
        EXCEPTION("ExceptionData", "AppExceptions"),
        MESSAGE("MessageData", "AppTraces"),
        EVENT("EventData", "AppEvents"),
        PAGE_VIEW("PageViewData", "AppPageViews"),
        METRIC("MetricData", "AppMetrics"),
        AVAILABILITY("AvailabilityData", "AppAvailabilityResults");

        final String baseType;
        final String table;

        Telemetry(String baseType, String table) {
            this.baseType = baseType;
            this.table = table;
        }

        static Telemetry of(String baseType) {
            for (Telemetry telemetry : values()) {
                if (telemetry.baseType.equals(baseType)) {
                    return telemetry;
                }
            }
            return null;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Application Insights track envelopes (JSON array, NDJSON, gzip) to the App* tables";
    }

    @Override
    public List<String> outputTables() {
        return List.of(
                "AppRequests",
                "AppDependencies",
                "AppExceptions",
                "AppTraces",
                "AppEvents",
                "AppPageViews",
                "AppMetrics",
                "AppAvailabilityResults");
    }

    @Override
    public int detect(byte[] head) {
        if (head.length >= 2 && head[0] == (byte) 0x1f && head[1] == (byte) 0x8b) {
            // gzip: the track endpoints are the only gzip bodies among the JSON formats
            return 30;
        }
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.contains("\"baseType\"") || text.contains("Microsoft.ApplicationInsights.")) {
            return 90;
        }
        return 0;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        byte[] body = input;
        if (input.length >= 2 && input[0] == (byte) 0x1f && input[1] == (byte) 0x8b) {
            body = gunzip(source, input, context.maxRecordBytes(), sink);
            if (body == null) {
                return;
            }
        }
        AzureRecords.forEach(source, NAME, body, sink, record -> map(source, record, context, sink));
    }

    /** Decompresses with a size cap; null after dead-lettering a bomb or a broken stream. */
    static byte[] gunzip(String source, byte[] input, int limit, RecordSink sink) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(input))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, input.length * 4 + 64));
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                if (out.size() + read > limit) {
                    sink.deadLetter(new DeadLetter(
                            source,
                            NAME,
                            DeadLetterReason.OVERSIZE,
                            "gzip body inflates beyond " + limit + " bytes",
                            input));
                    return null;
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.TRUNCATED, "broken gzip body: " + e.getMessage(), input));
            return null;
        }
    }

    @Override
    public void map(String source, ObjectNode envelope, ParseContext context, RecordSink sink) {
        JsonNode data = envelope.path("data");
        Telemetry telemetry = Telemetry.of(data.path("baseType").asText(""));
        if (telemetry == null) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source,
                    NAME,
                    DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                    "unknown baseType " + data.path("baseType").asText(""),
                    envelope));
            return;
        }
        Instant time = Timestamps.parse(AzureRow.text(envelope.get("time")));
        if (time == null) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, NAME, DeadLetterReason.BAD_TIMESTAMP, "envelope has no valid time", envelope));
            return;
        }
        JsonNode baseData = data.path("baseData");
        if (!baseData.isObject()) {
            // every data contract's baseData is an object; anything else would store an empty row
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source,
                    NAME,
                    DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                    "data.baseData of a " + data.path("baseType").asText("") + " must be a JSON object, found "
                            + baseData.getNodeType().toString().toLowerCase(Locale.ROOT),
                    envelope));
            return;
        }
        if (telemetry == Telemetry.METRIC) {
            // one row per metric in the envelope
            for (JsonNode metric : baseData.path("metrics")) {
                AzureRow row = common(envelope, telemetry, time, context);
                row.json("Name", metric.get("name"));
                JsonNode value = metric.get("value");
                row.json("Sum", value);
                JsonNode count = metric.get("count");
                if (count == null || count.isNull()) {
                    row.set("ItemCount", 1);
                } else {
                    row.json("ItemCount", count);
                }
                JsonNode min = metric.get("min");
                JsonNode max = metric.get("max");
                if (min == null) {
                    min = value;
                }
                if (max == null) {
                    max = value;
                }
                row.json("Min", min);
                row.json("Max", max);
                finish(row, baseData, "metrics", sink);
            }
            return;
        }
        AzureRow row = common(envelope, telemetry, time, context);
        switch (telemetry) {
            case REQUEST -> {
                row.json("Id", baseData.get("id"));
                row.json("Name", baseData.get("name"));
                duration(baseData.get("duration"), row);
                row.json("ResultCode", baseData.get("responseCode"));
                row.json("Success", baseData.get("success"));
                row.json("Url", baseData.get("url"));
                row.json("Source", baseData.get("source"));
            }
            case DEPENDENCY -> {
                row.json("Id", baseData.get("id"));
                row.json("Name", baseData.get("name"));
                duration(baseData.get("duration"), row);
                row.json("ResultCode", baseData.get("resultCode"));
                row.json("Success", baseData.get("success"));
                row.json("Data", baseData.get("data"));
                row.json("Target", baseData.get("target"));
                row.json("DependencyType", baseData.get("type"));
            }
            case EXCEPTION -> exception(baseData, row);
            case MESSAGE -> {
                row.json("Message", baseData.get("message"));
                severity(baseData.get("severityLevel"), row);
            }
            case EVENT -> row.json("Name", baseData.get("name"));
            case PAGE_VIEW -> {
                row.json("Id", baseData.get("id"));
                row.json("Name", baseData.get("name"));
                row.json("Url", baseData.get("url"));
                duration(baseData.get("duration"), row);
            }
            case AVAILABILITY -> {
                row.json("Id", baseData.get("id"));
                row.json("Name", baseData.get("name"));
                duration(baseData.get("duration"), row);
                row.json("Success", baseData.get("success"));
                row.json("Location", baseData.get("runLocation"));
                row.json("Message", baseData.get("message"));
            }
            case METRIC -> {}
        }
        finish(row, baseData, null, sink);
    }

    /** The tables of the last catalog seen, by telemetry type, so an envelope costs no catalog lookup. */
    private record Tables(TableCatalogView catalog, TableSchema[] byTelemetry) {}

    private volatile Tables tables;

    private TableSchema table(Telemetry telemetry, ParseContext context) {
        Tables current = tables;
        if (current == null || current.catalog() != context.catalog()) {
            current = new Tables(context.catalog(), new TableSchema[Telemetry.values().length]);
            tables = current;
        }
        TableSchema table = current.byTelemetry()[telemetry.ordinal()];
        if (table == null) {
            // built-in tables never change once a catalog holds them
            table = context.catalog().require(telemetry.table);
            current.byTelemetry()[telemetry.ordinal()] = table;
        }
        return table;
    }

    private AzureRow common(ObjectNode envelope, Telemetry telemetry, Instant time, ParseContext context) {
        AzureRow row = new AzureRow(table(telemetry, context));
        row.set("TimeGenerated", time);
        row.json("IKey", envelope.get("iKey"));
        // sampleRate is the percentage kept; each stored item stands for 100 / sampleRate items
        JsonNode sampleRate = envelope.get("sampleRate");
        int itemCount = 1;
        if (sampleRate != null && sampleRate.isNumber() && sampleRate.asDouble() > 0) {
            itemCount = (int) Math.max(1, Math.round(100.0 / sampleRate.asDouble()));
        }
        row.set("ItemCount", itemCount);
        JsonNode tags = envelope.path("tags");
        Iterator<Map.Entry<String, JsonNode>> fields = tags.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> tag = fields.next();
            String column = TAGS.get(tag.getKey());
            if (column == null || row.isSet(column)) {
                row.extra(tag.getKey(), tag.getValue());
            } else {
                row.json(column, tag.getValue(), tag.getKey());
            }
        }
        return row;
    }

    /** Properties (custom dimensions) plus unmapped tags; measurements; then the row. */
    private static void finish(AzureRow row, JsonNode baseData, String skip, RecordSink sink) {
        ObjectNode properties = baseData.get("properties") instanceof ObjectNode object ? object : null;
        if (!row.extras().isEmpty()) {
            // tags without a column are kept next to the custom dimensions rather than dropped
            ObjectNode merged = JsonRecords.MAPPER.createObjectNode();
            if (properties != null) {
                merged.setAll(properties);
            }
            row.extras().fields().forEachRemaining(entry -> {
                if (!merged.has(entry.getKey())) {
                    merged.set(entry.getKey(), entry.getValue());
                }
            });
            properties = merged;
        }
        if (properties != null && !properties.isEmpty()) {
            row.set("Properties", new Dynamic(properties.toString()));
        }
        JsonNode measurements = baseData.get("measurements");
        if (measurements instanceof ObjectNode object && !object.isEmpty()) {
            row.set("Measurements", new Dynamic(object.toString()));
        }
        if (row.wrongTypes() > 0) {
            sink.repaired("wrong_type_kept_raw");
        }
        sink.row(row.build());
    }

    private static void exception(JsonNode baseData, AzureRow row) {
        JsonNode exceptions = baseData.path("exceptions");
        severity(baseData.get("severityLevel"), row);
        row.json("ProblemId", baseData.get("problemId"));
        if (!(exceptions instanceof ArrayNode list) || list.isEmpty()) {
            return;
        }
        row.set("Details", new Dynamic(list.toString()));
        // the first exception is the outermost, the last the innermost (ExceptionDetails.outerId chain)
        JsonNode outer = list.get(0);
        JsonNode inner = list.get(list.size() - 1);
        row.json("ExceptionType", outer.get("typeName"));
        row.json("Message", outer.get("message"));
        row.json("OuterType", outer.get("typeName"));
        row.json("OuterMessage", outer.get("message"));
        row.json("InnermostType", inner.get("typeName"));
        row.json("InnermostMessage", inner.get("message"));
        JsonNode outerFrame = outer.path("parsedStack").path(0);
        JsonNode innerFrame = inner.path("parsedStack").path(0);
        row.json("Method", outerFrame.get("method"));
        row.json("Assembly", outerFrame.get("assembly"));
        row.json("OuterMethod", outerFrame.get("method"));
        row.json("OuterAssembly", outerFrame.get("assembly"));
        row.json("InnermostMethod", innerFrame.get("method"));
        row.json("InnermostAssembly", innerFrame.get("assembly"));
    }

    /** SeverityLevel: the contract's enum names (Verbose … Critical) or their numbers 0–4. */
    private static void severity(JsonNode value, AzureRow row) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isNumber()) {
            row.json("SeverityLevel", value);
            return;
        }
        Integer level = switch (value.asText().toLowerCase(Locale.ROOT)) {
            case "verbose" -> 0;
            case "information" -> 1;
            case "warning" -> 2;
            case "error" -> 3;
            case "critical" -> 4;
            default -> null;
        };
        if (level == null) {
            row.extra("severityLevel", value);
        } else {
            row.set("SeverityLevel", level);
        }
    }

    private static void duration(JsonNode value, AzureRow row) {
        Double milliseconds = durationMs(AzureRow.text(value));
        if (milliseconds == null) {
            if (value != null && !value.isNull()) {
                row.extra("duration", value);
            }
            return;
        }
        row.set("DurationMs", milliseconds);
    }

    /** The contract's duration text {@code [d.]hh:mm:ss[.fffffff]} in milliseconds, or null. */
    static Double durationMs(String text) {
        Duration duration = Timestamps.parseTimespan(text);
        if (duration == null) {
            return null;
        }
        return duration.toNanos() / 1_000_000.0;
    }
}
