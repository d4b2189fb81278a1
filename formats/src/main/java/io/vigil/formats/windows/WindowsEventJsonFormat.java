package io.vigil.formats.windows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.TypedValues;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Windows events as JSON, into the same tables as {@link WindowsEventXmlFormat}. Three shapes, per record
 * (JSON array, NDJSON or one object):
 *
 * <ul>
 *   <li>EVTX rendered to JSON ({@code {"Event":{"System":{...},"EventData":{...}}}}, attributes under
 *       {@code "#attributes"}), as the Sigma regression data and evtx tools write it;
 *   <li>Winlogbeat ({@code {"winlog":{"event_id":..,"channel":..,"event_data":{..}},"message":..}});
 *   <li>NXLog im_msvistalog flat records ({@code {"EventID":..,"Channel":..,"Hostname":..,<data fields>}}),
 *       whose local {@code EventTime} is read in the context zone.
 * </ul>
 */
public final class WindowsEventJsonFormat implements LogFormat {
    public static final String NAME = "windows_event_json";

    // NXLog im_msvistalog fields that describe the event rather than carry its data
    private static final Set<String> NXLOG_META = Set.of(
            "EventTime",
            "Hostname",
            "Keywords",
            "EventType",
            "SeverityValue",
            "Severity",
            "EventID",
            "SourceName",
            "ProviderGuid",
            "Version",
            "Task",
            "OpcodeValue",
            "RecordNumber",
            "ActivityID",
            "RelatedActivityID",
            "ProcessID",
            "ThreadID",
            "Channel",
            "Domain",
            "AccountName",
            "UserID",
            "AccountType",
            "Category",
            "Opcode",
            "Message",
            "EventReceivedTime",
            "SourceModuleName",
            "SourceModuleType",
            "Level",
            "ExecutionProcessID",
            "ExecutionThreadID");

    private static final DateTimeFormatter NXLOG_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private final WindowsEventRouting routing;

    public WindowsEventJsonFormat() {
        this(WindowsEventRouting.AGENT_DEFAULT);
    }

    private WindowsEventJsonFormat(WindowsEventRouting routing) {
        this.routing = routing;
    }

    /** This format sending every event to WindowsEvent. */
    public static WindowsEventJsonFormat forWindowsEventStream() {
        return new WindowsEventJsonFormat(WindowsEventRouting.WINDOWS_EVENT_STREAM);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Windows events as JSON (EVTX-rendered, Winlogbeat, NXLog) into SecurityEvent, Event or WindowsEvent";
    }

    @Override
    public List<String> outputTables() {
        return routing.outputTables();
    }

    @Override
    public int detect(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8).stripLeading();
        if (!text.startsWith("{") && !text.startsWith("[")) {
            return 0;
        }
        if (text.contains("\"winlog\"")) {
            return 85;
        }
        if (text.contains("\"Event\"") && text.contains("\"System\"")) {
            return 85;
        }
        if (text.contains("\"EventID\"") && (text.contains("\"Channel\"") || text.contains("\"SourceName\""))) {
            // rows exported from a workspace (SecurityEvent, Event) have these keys too, plus Type
            if (text.contains("\"TimeGenerated\"") && text.contains("\"Type\"")) {
                return 20;
            }
            return 60;
        }
        return 0;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        JsonRecords.forEach(source, NAME, input, sink, node -> record(source, node, context, sink));
    }

    private void record(String source, JsonNode node, ParseContext context, RecordSink sink) {
        byte[] raw = node.toString().getBytes(StandardCharsets.UTF_8);
        if (raw.length > context.maxRecordBytes()) {
            sink.deadLetter(new DeadLetter(
                    source,
                    NAME,
                    DeadLetterReason.OVERSIZE,
                    "record exceeds the limit of " + context.maxRecordBytes(),
                    raw));
            return;
        }
        XmlNode event;
        if (node.path("Event").isObject()) {
            event = fromNode("Event", node.get("Event"));
        } else if (node.path("winlog").isObject()) {
            event = fromWinlogbeat((ObjectNode) node);
        } else if (node.isObject() && node.has("EventID")) {
            event = fromNxlog((ObjectNode) node, context);
        } else {
            sink.deadLetter(new DeadLetter(
                    source,
                    NAME,
                    DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                    "not an EVTX-JSON, Winlogbeat or NXLog Windows event",
                    raw));
            return;
        }
        if (!WindowsEventRows.hasEventId(event)) {
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.MISSING_FIELD, "event has no numeric System/EventID", raw));
            return;
        }
        try {
            sink.row(WindowsEventRows.toRow(event, routing, context));
        } catch (RuntimeException e) {
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.UNKNOWN_RECORD_SHAPE, "event error: " + e.getMessage(), raw));
        }
    }

    /**
     * EVTX-JSON: objects are elements, {@code "#attributes"} their attributes, {@code "#text"} their text,
     * arrays repeated elements, scalars text; EventData's members are {@code <Data Name=..>} items.
     */
    static XmlNode fromNode(String name, JsonNode node) {
        XmlNode.Builder builder = new XmlNode.Builder(name);
        if (node == null || node.isNull()) {
            return builder.build();
        }
        if (!node.isObject()) {
            return builder.text(scalar(node)).build();
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.equals("#attributes") && value.isObject()) {
                value.fields()
                        .forEachRemaining(
                                attribute -> builder.attribute(attribute.getKey(), scalar(attribute.getValue())));
            } else if (key.equals("#text")) {
                builder.text(scalar(value));
            } else if (name.equals("EventData")) {
                XmlNode.Builder data = new XmlNode.Builder("Data").attribute("Name", key);
                if (!value.isNull()) {
                    data.text(scalar(value));
                }
                builder.child(data.build());
            } else if (value.isArray()) {
                for (JsonNode item : value) {
                    builder.child(fromNode(key, item));
                }
            } else {
                builder.child(fromNode(key, value));
            }
        }
        return builder.build();
    }

    private static String scalar(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        return TypedValues.asText(value);
    }

    private static XmlNode fromWinlogbeat(ObjectNode root) {
        JsonNode winlog = root.get("winlog");
        XmlNode.Builder system = new XmlNode.Builder("System");
        text(winlog, "provider_name")
                .ifPresent(name -> system.child(
                        new XmlNode.Builder("Provider").attribute("Name", name).build()));
        leaf(system, "EventID", text(winlog, "event_id"));
        leaf(system, "Version", text(winlog, "version"));
        java.util.Optional<String> level = text(root.path("log"), "level").map(WindowsEventJsonFormat::levelNumber);
        leaf(system, "Level", level);
        leaf(system, "Task", text(winlog, "task"));
        leaf(system, "Opcode", text(winlog, "opcode"));
        JsonNode keywords = winlog.path("keywords");
        if (keywords.isArray()) {
            List<String> words = new java.util.ArrayList<>();
            keywords.forEach(word -> words.add(word.asText()));
            leaf(system, "Keywords", java.util.Optional.of(String.join(",", words)));
        }
        java.util.Optional<String> time = text(winlog, "time_created").or(() -> text(root, "@timestamp"));
        time.ifPresent(value -> system.child(new XmlNode.Builder("TimeCreated")
                .attribute("SystemTime", value)
                .build()));
        leaf(system, "EventRecordID", text(winlog, "record_id"));
        text(winlog, "activity_id")
                .ifPresent(id -> system.child(new XmlNode.Builder("Correlation")
                        .attribute("ActivityID", id)
                        .build()));
        JsonNode process = winlog.path("process");
        if (process.isObject()) {
            XmlNode.Builder execution = new XmlNode.Builder("Execution");
            text(process, "pid").ifPresent(pid -> execution.attribute("ProcessID", pid));
            text(process.path("thread"), "id").ifPresent(tid -> execution.attribute("ThreadID", tid));
            system.child(execution.build());
        }
        leaf(system, "Channel", text(winlog, "channel"));
        leaf(system, "Computer", text(winlog, "computer_name"));
        text(winlog.path("user"), "identifier")
                .ifPresent(sid -> system.child(
                        new XmlNode.Builder("Security").attribute("UserID", sid).build()));
        XmlNode.Builder event = new XmlNode.Builder("Event").attribute("xmlns", WindowsEventRows.EVENT_NAMESPACE);
        event.child(system.build());
        if (winlog.path("event_data").isObject()) {
            event.child(fromNode("EventData", winlog.get("event_data")));
        } else if (winlog.path("user_data").isObject()) {
            event.child(new XmlNode.Builder("UserData")
                    .child(fromNode("Data", winlog.get("user_data")))
                    .build());
        }
        text(root, "message")
                .ifPresent(message -> event.child(new XmlNode.Builder("RenderingInfo")
                        .child(XmlNode.leaf("Message", message))
                        .build()));
        return event.build();
    }

    private XmlNode fromNxlog(ObjectNode root, ParseContext context) {
        XmlNode.Builder system = new XmlNode.Builder("System");
        text(root, "SourceName")
                .ifPresent(name -> system.child(
                        new XmlNode.Builder("Provider").attribute("Name", name).build()));
        leaf(system, "EventID", text(root, "EventID"));
        leaf(system, "Version", text(root, "Version"));
        java.util.Optional<String> level =
                text(root, "Level").filter(value -> value.chars().allMatch(Character::isDigit));
        if (level.isEmpty()) {
            level = text(root, "EventType").map(WindowsEventJsonFormat::levelNumber);
        }
        leaf(system, "Level", level);
        leaf(system, "Task", text(root, "Task"));
        leaf(system, "Opcode", text(root, "OpcodeValue"));
        // NXLog writes the keyword mask as a signed 64-bit number; Windows and Azure write it in hex
        leaf(system, "Keywords", text(root, "Keywords").map(WindowsEventJsonFormat::keywordsHex));
        text(root, "EventTime")
                .map(value -> nxlogTime(value, context))
                .ifPresent(value -> system.child(new XmlNode.Builder("TimeCreated")
                        .attribute("SystemTime", value)
                        .build()));
        leaf(system, "EventRecordID", text(root, "RecordNumber"));
        text(root, "ActivityID")
                .ifPresent(id -> system.child(new XmlNode.Builder("Correlation")
                        .attribute("ActivityID", id)
                        .build()));
        XmlNode.Builder execution = new XmlNode.Builder("Execution");
        text(root, "ProcessID").ifPresent(pid -> execution.attribute("ProcessID", pid));
        text(root, "ThreadID").ifPresent(tid -> execution.attribute("ThreadID", tid));
        system.child(execution.build());
        leaf(system, "Channel", text(root, "Channel"));
        leaf(system, "Computer", text(root, "Hostname"));
        text(root, "UserID")
                .ifPresent(sid -> system.child(
                        new XmlNode.Builder("Security").attribute("UserID", sid).build()));
        XmlNode.Builder data = new XmlNode.Builder("EventData");
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (NXLOG_META.contains(field.getKey())) {
                continue;
            }
            data.child(new XmlNode.Builder("Data")
                    .attribute("Name", field.getKey())
                    .text(scalar(field.getValue()))
                    .build());
        }
        XmlNode.Builder event = new XmlNode.Builder("Event").attribute("xmlns", WindowsEventRows.EVENT_NAMESPACE);
        event.child(system.build());
        event.child(data.build());
        text(root, "Message")
                .ifPresent(message -> event.child(new XmlNode.Builder("RenderingInfo")
                        .child(XmlNode.leaf("Message", message))
                        .build()));
        return event.build();
    }

    /** NXLog writes EventTime as local time without an offset; with an offset it is used as is. */
    private static String nxlogTime(String value, ParseContext context) {
        try {
            return LocalDateTime.parse(value, NXLOG_TIME)
                    .atZone(context.zone())
                    .toInstant()
                    .toString();
        } catch (DateTimeParseException e) {
            return value;
        }
    }

    private static String keywordsHex(String value) {
        try {
            return String.format(Locale.ROOT, "0x%016x", Long.parseLong(value));
        } catch (NumberFormatException e) {
            return value;
        }
    }

    /** Level names used by Winlogbeat ("information") and NXLog EventType ("AUDIT_SUCCESS", "ERROR"). */
    static String levelNumber(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "critical" -> "1";
            case "error" -> "2";
            case "warning" -> "3";
            case "information", "info" -> "4";
            case "verbose", "debug" -> "5";
            default -> "0";
        };
    }

    private static void leaf(XmlNode.Builder parent, String name, java.util.Optional<String> value) {
        value.ifPresent(text -> parent.child(XmlNode.leaf(name, text)));
    }

    private static java.util.Optional<String> text(JsonNode parent, String field) {
        JsonNode value = parent.path(field);
        if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
            return java.util.Optional.empty();
        }
        String text = value.asText();
        if (text.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(text);
    }
}
