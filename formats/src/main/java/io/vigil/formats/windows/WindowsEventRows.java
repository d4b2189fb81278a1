package io.vigil.formats.windows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.Timestamps;
import io.vigil.spi.Column;
import io.vigil.spi.Dynamic;
import io.vigil.spi.ParseContext;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an {@code <Event>} tree into a row of SecurityEvent, Event or WindowsEvent (see
 * {@link WindowsEventRouting}), the way the Azure Monitor Agent fills them.
 */
final class WindowsEventRows {
    static final String SECURITY_EVENT = "SecurityEvent";
    static final String EVENT = "Event";
    static final String WINDOWS_EVENT = "WindowsEvent";
    static final String EVENT_NAMESPACE = "http://schemas.microsoft.com/win/2004/08/events/event";

    // SecurityEvent columns that come from System or are computed, never from an EventData item
    private static final Set<String> RESERVED = Set.of(
            "TimeGenerated",
            "Type",
            "EventID",
            "Activity",
            "Channel",
            "Computer",
            "Level",
            "EventSourceName",
            "Task",
            "Version",
            "Keywords",
            "Opcode",
            "EventRecordId",
            "EventData",
            "Account",
            "AccountType",
            "SubjectAccount",
            "TargetAccount",
            "SourceSystem",
            "TenantId",
            "_ResourceId",
            "_BilledSize",
            "_IsBillable",
            "_SubscriptionId",
            "SystemProcessId",
            "SystemThreadId",
            "SystemUserId",
            "Correlation",
            "LogonTypeName",
            "EventLevelName",
            "ManagementGroupName",
            "AzureDeploymentID",
            "SourceComputerId");

    // logon events name the account that logged on in the Target fields (Subject is the reporting service)
    private static final Set<Integer> TARGET_IS_ACCOUNT = Set.of(4624, 4625, 4634, 4647);

    // "Audit logon events" reference, logon types
    private static final Map<Integer, String> LOGON_TYPES = Map.ofEntries(
            Map.entry(0, "System"),
            Map.entry(2, "Interactive"),
            Map.entry(3, "Network"),
            Map.entry(4, "Batch"),
            Map.entry(5, "Service"),
            Map.entry(7, "Unlock"),
            Map.entry(8, "NetworkCleartext"),
            Map.entry(9, "NewCredentials"),
            Map.entry(10, "RemoteInteractive"),
            Map.entry(11, "CachedInteractive"),
            Map.entry(12, "CachedRemoteInteractive"),
            Map.entry(13, "CachedUnlock"));

    // well-known SIDs the agent shows by name in Event.UserName
    private static final Map<String, String> WELL_KNOWN_SIDS = Map.of(
            "S-1-5-18", "NT AUTHORITY\\SYSTEM",
            "S-1-5-19", "NT AUTHORITY\\LOCAL SERVICE",
            "S-1-5-20", "NT AUTHORITY\\NETWORK SERVICE");

    private WindowsEventRows() {}

    /** The normalized parts of an event tree. */
    record Parts(
            XmlNode event,
            XmlNode system,
            Optional<XmlNode> data,
            List<Map.Entry<String, String>> items,
            Optional<String> message) {}

    static Parts parts(XmlNode event) {
        XmlNode system = event.child("System").orElse(new XmlNode.Builder("System").build());
        Optional<XmlNode> data = event.child("EventData").or(() -> event.child("UserData"));
        List<Map.Entry<String, String>> items = new ArrayList<>();
        data.ifPresent(node -> {
            if (node.name().equals("EventData")) {
                for (XmlNode child : node.children()) {
                    // <Binary> holds raw event bytes, not an insertion string; it stays in the EventData XML
                    if (!child.name().equals("Data")) {
                        continue;
                    }
                    String name = child.attribute("Name").orElse("");
                    items.add(Map.entry(name, child.text()));
                }
            } else if (!node.children().isEmpty()) {
                for (XmlNode child : node.children().get(0).children()) {
                    items.add(Map.entry(child.name(), child.text()));
                }
            }
        });
        Optional<String> message = event.child("RenderingInfo")
                .flatMap(info -> info.child("Message"))
                .map(XmlNode::text)
                .filter(text -> !text.isEmpty());
        return new Parts(event, system, data, items, message);
    }

    /** Whether the event has a numeric EventID, without which no Windows event table can hold it. */
    static boolean hasEventId(XmlNode event) {
        return event.child("System")
                .flatMap(system -> text(system, "EventID"))
                .flatMap(WindowsEventRows::parseInt)
                .isPresent();
    }

    static Row toRow(XmlNode event, WindowsEventRouting routing, ParseContext context) {
        Parts parts = parts(event);
        String channel = text(parts.system(), "Channel").orElse("");
        String table = switch (routing) {
            case AGENT_DEFAULT -> {
                if (channel.equals("Security")) {
                    yield SECURITY_EVENT;
                }
                if (channel.equals("ForwardedEvents")) {
                    yield WINDOWS_EVENT;
                }
                yield EVENT;
            }
            case WINDOWS_EVENT_STREAM -> WINDOWS_EVENT;
        };
        TableSchema schema = context.catalog().table(table).orElseThrow();
        Row.Builder row = schema.newRow();
        XmlNode system = parts.system();
        Instant time = system.child("TimeCreated")
                .flatMap(node -> node.attribute("SystemTime"))
                .map(Timestamps::parse)
                .orElse(null);
        if (time == null) {
            time = context.clock().instant();
        }
        row.set("TimeGenerated", time);
        Optional<Integer> eventId = text(system, "EventID").flatMap(WindowsEventRows::parseInt);
        eventId.ifPresent(id -> row.set("EventID", id));
        Optional<String> provider = system.child("Provider").flatMap(node -> node.attribute("Name"));
        Optional<Integer> level = text(system, "Level").flatMap(WindowsEventRows::parseInt);
        text(system, "Computer").ifPresent(computer -> row.set("Computer", computer));
        Optional<String> userSid = system.child("Security").flatMap(node -> node.attribute("UserID"));
        switch (table) {
            case SECURITY_EVENT -> securityEvent(row, parts, eventId, provider, userSid);
            case EVENT -> event(row, parts, channel, provider, level, userSid);
            default -> windowsEvent(row, parts, channel, provider, level, userSid);
        }
        row.set("Type", table);
        return row.build();
    }

    private static void securityEvent(
            Row.Builder row,
            Parts parts,
            Optional<Integer> eventId,
            Optional<String> provider,
            Optional<String> userSid) {
        XmlNode system = parts.system();
        eventId.ifPresent(id -> row.set("Activity", SecurityEventDescriptions.activity(id)));
        row.set("Channel", "Security");
        text(system, "Level").ifPresent(level -> row.set("Level", level));
        provider.ifPresent(name -> row.set("EventSourceName", name));
        text(system, "Task").flatMap(WindowsEventRows::parseInt).ifPresent(task -> row.set("Task", task));
        text(system, "Version").flatMap(WindowsEventRows::parseInt).ifPresent(version -> row.set("Version", version));
        text(system, "Keywords").ifPresent(keywords -> row.set("Keywords", keywords));
        text(system, "Opcode").ifPresent(opcode -> row.set("Opcode", opcode));
        text(system, "EventRecordID").ifPresent(id -> row.set("EventRecordId", id));
        execution(row, system);
        userSid.ifPresent(sid -> row.set("SystemUserId", sid));
        system.child("Correlation")
                .flatMap(node -> node.attribute("ActivityID"))
                .ifPresent(id -> row.set("Correlation", id));
        TableSchema schema = row.table();
        for (Map.Entry<String, String> item : parts.items()) {
            String name = item.getKey();
            if (name.isEmpty() || RESERVED.contains(name)) {
                continue;
            }
            Optional<Column> column = schema.column(name);
            if (column.isEmpty()) {
                continue;
            }
            switch (column.get().type()) {
                case STRING -> row.set(name, item.getValue());
                case INT -> parseInt(item.getValue()).ifPresent(value -> row.set(name, value));
                default -> {
                    // SecurityEvent's EventData-backed columns are string or int
                }
            }
        }
        Optional<String> subject = account(row, "SubjectDomainName", "SubjectUserName");
        Optional<String> target = account(row, "TargetDomainName", "TargetUserName");
        subject.ifPresent(account -> row.set("SubjectAccount", account));
        target.ifPresent(account -> row.set("TargetAccount", account));
        Optional<String> account = subject.or(() -> target);
        if (eventId.isPresent() && TARGET_IS_ACCOUNT.contains(eventId.get())) {
            account = target.or(() -> subject);
        }
        account.ifPresent(name -> {
            row.set("Account", name);
            // machine accounts end in '$'
            if (name.endsWith("$")) {
                row.set("AccountType", "Machine");
            } else {
                row.set("AccountType", "User");
            }
        });
        if (row.get("LogonType") instanceof Integer logonType && LOGON_TYPES.containsKey(logonType)) {
            row.set("LogonTypeName", logonType + " - " + LOGON_TYPES.get(logonType));
        }
        if (parts.data().isPresent()) {
            row.set("EventData", eventDataXml(parts));
        }
        row.set("SourceSystem", "OpsManager");
    }

    private static void event(
            Row.Builder row,
            Parts parts,
            String channel,
            Optional<String> provider,
            Optional<Integer> level,
            Optional<String> userSid) {
        if (!channel.isEmpty()) {
            row.set("EventLog", channel);
        }
        provider.ifPresent(name -> row.set("Source", name));
        level.ifPresent(value -> {
            row.set("EventLevel", value);
            row.set("EventLevelName", levelName(value));
        });
        text(parts.system(), "Task")
                .flatMap(WindowsEventRows::parseInt)
                .ifPresent(task -> row.set("EventCategory", task));
        parts.message().ifPresent(message -> row.set("RenderedDescription", message));
        StringBuilder parameters = new StringBuilder();
        for (Map.Entry<String, String> item : parts.items()) {
            parameters.append("<Param>");
            XmlNode.escape(parameters, item.getValue(), false);
            parameters.append("</Param>");
        }
        if (!parameters.isEmpty()) {
            row.set("ParameterXml", parameters.toString());
        }
        if (parts.data().isPresent()) {
            row.set("EventData", eventDataXml(parts));
        }
        userSid.ifPresent(sid -> row.set("UserName", WELL_KNOWN_SIDS.getOrDefault(sid, sid)));
        row.set("SourceSystem", "OpsManager");
    }

    private static void windowsEvent(
            Row.Builder row,
            Parts parts,
            String channel,
            Optional<String> provider,
            Optional<Integer> level,
            Optional<String> userSid) {
        XmlNode system = parts.system();
        if (!channel.isEmpty()) {
            row.set("Channel", channel);
        }
        provider.ifPresent(name -> row.set("Provider", name));
        level.ifPresent(value -> {
            row.set("EventLevel", value);
            row.set("EventLevelName", levelName(value));
        });
        text(system, "Task").flatMap(WindowsEventRows::parseInt).ifPresent(task -> row.set("Task", task));
        text(system, "Version").flatMap(WindowsEventRows::parseInt).ifPresent(version -> row.set("Version", version));
        text(system, "Keywords").ifPresent(keywords -> row.set("Keywords", keywords));
        text(system, "Opcode").ifPresent(opcode -> row.set("Opcode", opcode));
        text(system, "EventRecordID").ifPresent(id -> row.set("EventRecordId", id));
        execution(row, system);
        userSid.ifPresent(sid -> row.set("SystemUserId", sid));
        system.child("Correlation")
                .flatMap(node -> node.attribute("ActivityID"))
                .ifPresent(id -> row.set("Correlation", id));
        ObjectNode data = JsonRecords.MAPPER.createObjectNode();
        for (Map.Entry<String, String> item : parts.items()) {
            data.put(item.getKey(), item.getValue());
        }
        row.set("EventData", new Dynamic(data.toString()));
        row.set("RawEventData", parts.event().toXml());
    }

    private static void execution(Row.Builder row, XmlNode system) {
        system.child("Execution").ifPresent(execution -> {
            execution
                    .attribute("ProcessID")
                    .flatMap(WindowsEventRows::parseInt)
                    .ifPresent(pid -> row.set("SystemProcessId", pid));
            execution
                    .attribute("ThreadID")
                    .flatMap(WindowsEventRows::parseInt)
                    .ifPresent(tid -> row.set("SystemThreadId", tid));
        });
    }

    /** The EventData (or UserData) element as XML, in the event namespace, as Azure keeps it. */
    static String eventDataXml(Parts parts) {
        if (parts.data().isEmpty()) {
            return "";
        }
        XmlNode data = parts.data().get();
        if (data.attribute("xmlns").isEmpty()) {
            XmlNode.Builder builder = new XmlNode.Builder(data.name()).attribute("xmlns", EVENT_NAMESPACE);
            data.attributes().forEach(builder::attribute);
            data.children().forEach(builder::child);
            builder.text(data.text());
            data = builder.build();
        }
        return data.toXml();
    }

    /** Windows event levels (winmeta.xml): 0 LogAlways and 4 are informational. */
    static String levelName(int level) {
        return switch (level) {
            case 1 -> "Critical";
            case 2 -> "Error";
            case 3 -> "Warning";
            case 5 -> "Verbose";
            default -> "Information";
        };
    }

    private static Optional<String> account(Row.Builder row, String domainColumn, String userColumn) {
        if (!(row.get(userColumn) instanceof String user) || user.isEmpty() || user.equals("-")) {
            return Optional.empty();
        }
        if (row.get(domainColumn) instanceof String domain && !domain.isEmpty() && !domain.equals("-")) {
            return Optional.of(domain + "\\" + user);
        }
        return Optional.of(user);
    }

    static Optional<String> text(XmlNode parent, String childName) {
        return parent.child(childName).map(XmlNode::text).map(String::strip).filter(value -> !value.isEmpty());
    }

    /** Decimal or {@code 0x} hexadecimal, as event data writes numbers; empty when neither fits an int. */
    static Optional<Integer> parseInt(String value) {
        String text = value.strip();
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                long parsed = Long.parseLong(text.substring(2), 16);
                if (parsed > Integer.MAX_VALUE) {
                    return Optional.empty();
                }
                return Optional.of((int) parsed);
            }
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
