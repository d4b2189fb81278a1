package io.vigil.formats.storage;

import io.vigil.formats.common.TextRecords;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Dynamic;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Azure Storage Analytics log lines (classic {@code $logs} container), versions 1.0 and 2.0, as described
 * in Microsoft's "Storage Analytics log format" page: {@code ;}-separated fields, the last without a
 * trailing {@code ;}, and fields that may hold {@code "}, {@code ;} or a newline HTML-encoded and quoted.
 * Rows go to StorageBlobLogs, StorageQueueLogs, StorageTableLogs or StorageFileLogs by service type, with
 * the column names of the resource-log tables that replaced Storage Analytics.
 */
public final class StorageAnalyticsFormat implements LogFormat {
    public static final String NAME = "storage_analytics";

    static final int FIELDS_V1 = 30;
    static final int FIELDS_V2 = 38;

    private static final Map<String, String> TABLES = Map.of(
            "blob", "StorageBlobLogs",
            "queue", "StorageQueueLogs",
            "table", "StorageTableLogs",
            "file", "StorageFileLogs");

    private static final Pattern DETECT =
            Pattern.compile("^[12]\\.0;\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z;[A-Za-z]+;");

    // <last-modified-time> is an RFC 850 date: "Thursday, 19-Jun-14 22:58:10 GMT"
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Azure Storage Analytics log lines v1.0/v2.0 into StorageBlobLogs/QueueLogs/TableLogs/FileLogs";
    }

    @Override
    public List<String> outputTables() {
        return List.of("StorageBlobLogs", "StorageQueueLogs", "StorageTableLogs", "StorageFileLogs");
    }

    @Override
    public int detect(byte[] head) {
        for (String line : TextRecords.headLines(head, 2)) {
            if (line.isBlank()) {
                continue;
            }
            if (DETECT.matcher(line).find()) {
                return 95;
            }
            return 0;
        }
        return 0;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        TextRecords.forEachLine(source, NAME, input, context.maxRecordBytes(), sink, line -> {
            try {
                parseLine(source, line.text(), line.raw(), context, sink);
            } catch (RuntimeException e) {
                // written not to throw; this keeps one bad line from losing its neighbours if it ever does
                sink.deadLetter(new DeadLetter(
                        source, NAME, DeadLetterReason.MALFORMED_LINE, "parser error: " + e.getMessage(), line.raw()));
            }
        });
    }

    private static void parseLine(String source, String text, byte[] raw, ParseContext context, RecordSink sink) {
        List<String> fields = StorageLogFields.split(text);
        String version = fields.get(0);
        int expected;
        if (version.equals("1.0")) {
            expected = FIELDS_V1;
        } else if (version.equals("2.0")) {
            expected = FIELDS_V2;
        } else {
            sink.deadLetter(new DeadLetter(
                    source,
                    NAME,
                    DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                    "unknown log version '" + clip(version) + "'",
                    raw));
            return;
        }
        if (fields.size() < expected) {
            sink.deadLetter(new DeadLetter(
                    source,
                    NAME,
                    DeadLetterReason.TRUNCATED,
                    "version " + version + " line has " + fields.size() + " of " + expected + " fields",
                    raw));
            return;
        }
        if (fields.size() > expected) {
            sink.deadLetter(new DeadLetter(
                    source,
                    NAME,
                    DeadLetterReason.MALFORMED_LINE,
                    "version " + version + " line has " + fields.size() + " fields, expected " + expected,
                    raw));
            return;
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(fields.get(1), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            sink.deadLetter(new DeadLetter(
                    source,
                    NAME,
                    DeadLetterReason.BAD_TIMESTAMP,
                    "bad request-start-time '" + clip(fields.get(1)) + "'",
                    raw));
            return;
        }
        String service = fields.get(10);
        String tableName = TABLES.get(service);
        if (tableName == null) {
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.UNKNOWN_TABLE, "unknown service-type '" + clip(service) + "'", raw));
            return;
        }
        TableSchema schema = context.catalog().table(tableName).orElseThrow();
        Row.Builder row = schema.newRow();
        row.set("TimeGenerated", time);
        row.set("SchemaVersion", version);
        text(row, "OperationName", fields.get(2));
        category(fields.get(2)).ifPresent(category -> row.set("Category", category));
        text(row, "StatusText", fields.get(3));
        text(row, "StatusCode", fields.get(4));
        real(row, "DurationMs", fields.get(5));
        real(row, "ServerLatencyMs", fields.get(6));
        text(row, "AuthenticationType", authenticationType(fields.get(7)));
        // <requester-account-name> (field 9) equals the owner for authenticated requests and is empty for
        // anonymous and SAS ones (format page); the resource-log tables have no column for it
        text(row, "AccountName", fields.get(9));
        text(row, "ServiceType", service);
        text(row, "Uri", fields.get(11));
        protocol(fields.get(11)).ifPresent(protocol -> row.set("Protocol", protocol));
        text(row, "ObjectKey", fields.get(12));
        text(row, "CorrelationId", fields.get(13));
        integer(row, "OperationCount", fields.get(14));
        // "The IP address of the requester, including the port number" (table reference): kept as sent
        text(row, "CallerIpAddress", fields.get(15));
        text(row, "OperationVersion", fields.get(16));
        number(row, "RequestHeaderSize", fields.get(17));
        number(row, "RequestBodySize", fields.get(18));
        number(row, "ResponseHeaderSize", fields.get(19));
        number(row, "ResponseBodySize", fields.get(20));
        number(row, "ContentLengthHeader", fields.get(21));
        text(row, "RequestMd5", fields.get(22));
        text(row, "ResponseMd5", fields.get(23));
        text(row, "Etag", fields.get(24));
        lastModified(fields.get(25)).ifPresent(instant -> row.set("LastModifiedTime", instant));
        text(row, "ConditionsUsed", fields.get(26));
        text(row, "UserAgentHeader", fields.get(27));
        text(row, "ReferrerHeader", fields.get(28));
        text(row, "ClientRequestId", fields.get(29));
        if (version.equals("2.0")) {
            text(row, "RequesterObjectId", fields.get(30));
            text(row, "RequesterTenantId", fields.get(31));
            text(row, "RequesterAppId", fields.get(32));
            text(row, "RequesterAudience", fields.get(33));
            text(row, "RequesterTokenIssuer", fields.get(34));
            text(row, "RequesterUpn", fields.get(35));
            // field 37 is "reserved for future use, an empty string"
            String authorization = fields.get(37);
            if (!authorization.isEmpty()) {
                row.set("AuthorizationDetails", authorizationDetails(authorization));
            }
        }
        row.set("Type", tableName);
        sink.row(row.build());
    }

    /**
     * Storage Analytics writes authenticated (Shared Key), sas, anonymous and, in 2.0, bearer; the
     * resource-log tables write AccountKey, SAS, Anonymous and OAuth, which is what Sentinel content
     * filters on. Other values are kept as sent.
     */
    static String authenticationType(String value) {
        return switch (value) {
            case "authenticated" -> "AccountKey";
            case "sas" -> "SAS";
            case "anonymous" -> "Anonymous";
            case "bearer" -> "OAuth";
            default -> value;
        };
    }

    /**
     * The resource-log Category (StorageRead, StorageWrite, StorageDelete) is not in the line; it follows
     * from the operation: reads are Get*, List*, Query*, Peek*, Head* and the source side of a copy.
     */
    static Optional<String> category(String operation) {
        if (operation.isEmpty()) {
            return Optional.empty();
        }
        if (operation.startsWith("Delete") || operation.startsWith("Clear")) {
            return Optional.of("StorageDelete");
        }
        if (operation.startsWith("Get")
                || operation.startsWith("List")
                || operation.startsWith("Query")
                || operation.startsWith("Peek")
                || operation.startsWith("Head")
                || operation.endsWith("Source")) {
            return Optional.of("StorageRead");
        }
        return Optional.of("StorageWrite");
    }

    private static Optional<String> protocol(String uri) {
        int colon = uri.indexOf("://");
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(uri.substring(0, colon).toUpperCase(Locale.ROOT));
    }

    private static Optional<Instant> lastModified(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(value, RFC_850).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Dynamic authorizationDetails(String value) {
        String trimmed = value.strip();
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            try {
                return new Dynamic(io.vigil.formats.common.JsonRecords.MAPPER
                        .readTree(trimmed)
                        .toString());
            } catch (java.io.IOException e) {
                // not JSON after all: kept as a string below
            }
        }
        return Dynamic.ofString(value);
    }

    private static void text(Row.Builder row, String column, String value) {
        if (!value.isEmpty()) {
            row.set(column, value);
        }
    }

    private static void real(Row.Builder row, String column, String value) {
        if (!value.isEmpty()) {
            try {
                row.set(column, Double.parseDouble(value));
            } catch (NumberFormatException e) {
                // "Unknown" and similar: the column stays empty, the raw line is not needed for that
            }
        }
    }

    private static void number(Row.Builder row, String column, String value) {
        if (!value.isEmpty()) {
            try {
                row.set(column, Long.parseLong(value));
            } catch (NumberFormatException e) {
                // see real()
            }
        }
    }

    private static void integer(Row.Builder row, String column, String value) {
        if (!value.isEmpty()) {
            try {
                row.set(column, Integer.parseInt(value));
            } catch (NumberFormatException e) {
                // see real()
            }
        }
    }

    private static String clip(String value) {
        if (value.length() > 64) {
            return value.substring(0, 64) + "...";
        }
        return value;
    }
}
