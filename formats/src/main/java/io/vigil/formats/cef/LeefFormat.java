package io.vigil.formats.cef;

import io.vigil.formats.common.TextRecords;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IBM QRadar Log Event Extended Format (LEEF 1.0 and 2.0), bare or behind a syslog header, one event per
 * line, into {@code CommonSecurityLog} (Azure has no LEEF table; Vigil maps it like CEF). Header:
 * {@code LEEF:Version|Vendor|Product|Version|EventID|} and, in 2.0 only, an optional delimiter field: one
 * character, or its code as {@code xHH} / {@code 0xHH} (IBM "LEEF event components"). Attributes are
 * {@code key=value} separated by the delimiter, tab by default; values are not escaped, so a value may
 * hold {@code =}. Predefined LEEF keys map to columns ({@link #COLUMNS}); the rest go to
 * AdditionalExtensions. EventID fills both DeviceEventClassID and Activity, since LEEF has no event name.
 */
public final class LeefFormat implements LogFormat {
    public static final String NAME = "leef";
    static final String MARKER = "LEEF:";

    // predefined attributes, IBM "Predefined LEEF event attributes"
    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("cat", "DeviceEventCategory"),
            Map.entry("sev", "LogSeverity"),
            Map.entry("proto", "Protocol"),
            Map.entry("src", "SourceIP"),
            Map.entry("dst", "DestinationIP"),
            Map.entry("srcPort", "SourcePort"),
            Map.entry("dstPort", "DestinationPort"),
            Map.entry("srcPostNAT", "SourceTranslatedAddress"),
            Map.entry("dstPostNAT", "DestinationTranslatedAddress"),
            Map.entry("srcPostNATPort", "SourceTranslatedPort"),
            Map.entry("dstPostNATPort", "DestinationTranslatedPort"),
            Map.entry("srcMAC", "SourceMACAddress"),
            Map.entry("dstMAC", "DestinationMACAddress"),
            Map.entry("usrName", "SourceUserName"),
            Map.entry("srcBytes", "SentBytes"),
            Map.entry("dstBytes", "ReceivedBytes"),
            Map.entry("identHostName", "SourceHostName"),
            Map.entry("identSrc", "SourceIP"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "IBM LEEF 1.0/2.0 lines, bare or over syslog, into CommonSecurityLog";
    }

    @Override
    public List<String> outputTables() {
        return List.of(SecurityLogRow.TABLE);
    }

    @Override
    public int detect(byte[] head) {
        return SyslogEnvelope.detect(head, MARKER);
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

    /**
     * Parses one LEEF message as a syslog listener receives it (UDP datagram or one TCP frame), with the
     * sender's address or name for the Computer column when the syslog header has no HOSTNAME.
     */
    public void parseMessage(byte[] message, String sourceHost, ParseContext context, RecordSink sink) {
        String source = "syslog";
        Optional<String> host = Optional.ofNullable(sourceHost).filter(name -> !name.isBlank());
        if (host.isPresent()) {
            source = "syslog:" + host.get();
        }
        String text = TextRecords.decode(source, NAME, message, context.maxRecordBytes(), sink);
        if (text == null) {
            return;
        }
        try {
            parseLine(source, text.stripTrailing(), message, host, context, sink);
        } catch (RuntimeException e) {
            // written not to throw; this keeps one bad message from losing its neighbours if it ever does
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.MALFORMED_LINE, "parser error: " + e.getMessage(), message));
        }
    }

    private static void parseLine(String source, String text, byte[] raw, ParseContext context, RecordSink sink) {
        parseLine(source, text, raw, Optional.empty(), context, sink);
    }

    private static void parseLine(
            String source,
            String text,
            byte[] raw,
            Optional<String> sourceHost,
            ParseContext context,
            RecordSink sink) {
        int marker = SyslogEnvelope.find(text, MARKER);
        if (marker < 0) {
            sink.deadLetter(new DeadLetter(source, NAME, DeadLetterReason.MALFORMED_LINE, "no LEEF: header", raw));
            return;
        }
        SyslogEnvelope envelope = SyslogEnvelope.parse(text.substring(0, marker), context);
        String payload = text.substring(marker + MARKER.length());
        CefParser.Header header = CefParser.header(payload, 0, 5);
        if (header.fields().size() < 5) {
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.TRUNCATED, "LEEF header has fewer than 5 fields", raw));
            return;
        }
        String version = header.fields().get(0);
        String attributes = payload.substring(header.end());
        char delimiter = '\t';
        if (version.startsWith("2")) {
            int bar = attributes.indexOf('|');
            // the 2.0 delimiter field is short and holds no '='; without it, attributes follow directly
            if (bar >= 0 && bar <= 4 && attributes.substring(0, bar).indexOf('=') < 0) {
                Optional<Character> parsed = delimiter(attributes.substring(0, bar));
                if (parsed.isEmpty()) {
                    sink.deadLetter(new DeadLetter(
                            source,
                            NAME,
                            DeadLetterReason.MALFORMED_LINE,
                            "bad LEEF 2.0 delimiter '" + attributes.substring(0, bar) + "'",
                            raw));
                    return;
                }
                delimiter = parsed.get();
                attributes = attributes.substring(bar + 1);
            }
        }
        SecurityLogRow row = new SecurityLogRow(context);
        setIfNotEmpty(row, "DeviceVendor", header.fields().get(1));
        setIfNotEmpty(row, "DeviceProduct", header.fields().get(2));
        setIfNotEmpty(row, "DeviceVersion", header.fields().get(3));
        setIfNotEmpty(row, "DeviceEventClassID", header.fields().get(4));
        setIfNotEmpty(row, "Activity", header.fields().get(4));
        String deviceTime = null;
        String deviceTimeFormat = null;
        for (String attribute : split(attributes, delimiter)) {
            if (attribute.isBlank()) {
                continue;
            }
            int equals = attribute.indexOf('=');
            if (equals <= 0) {
                row.keepText(attribute);
                continue;
            }
            String key = attribute.substring(0, equals).strip();
            String value = attribute.substring(equals + 1);
            if (key.equals("devTime")) {
                deviceTime = value;
            } else if (key.equals("devTimeFormat")) {
                deviceTimeFormat = value;
            }
            String column = COLUMNS.get(key);
            if (column != null && row.get(column) == null) {
                row.put(key, value, value, List.of(column));
            } else {
                row.keep(key, value);
            }
        }
        envelope.host().or(() -> sourceHost).ifPresent(host -> row.setText("Computer", host));
        row.setText("SourceSystem", "OpsManager");
        Instant time = envelope.time().orElse(null);
        if (time == null && deviceTime != null) {
            time = LeefTimes.parse(deviceTime, deviceTimeFormat, context);
        }
        if (time == null) {
            time = context.clock().instant();
        }
        sink.row(row.build(time));
    }

    /** A 2.0 delimiter: one character, or {@code xHH} / {@code 0xHH}. */
    static Optional<Character> delimiter(String field) {
        if (field.length() == 1) {
            return Optional.of(field.charAt(0));
        }
        String hex = field;
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        } else if (hex.startsWith("x") || hex.startsWith("X")) {
            hex = hex.substring(1);
        } else {
            return Optional.empty();
        }
        if (hex.isEmpty() || hex.length() > 2) {
            return Optional.empty();
        }
        try {
            return Optional.of((char) Integer.parseInt(hex, 16));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<String> split(String text, char delimiter) {
        List<String> parts = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == delimiter) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static void setIfNotEmpty(SecurityLogRow row, String column, String value) {
        if (!value.isEmpty()) {
            row.setText(column, value);
        }
    }
}
