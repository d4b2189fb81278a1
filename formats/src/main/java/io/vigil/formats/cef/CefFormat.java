package io.vigil.formats.cef;

import io.vigil.formats.common.TextRecords;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * ArcSight Common Event Format, bare ({@code CEF:0|...}) or behind an RFC 3164 / RFC 5424 syslog header,
 * one event per line, into {@code CommonSecurityLog}. Header fields go to DeviceVendor, DeviceProduct,
 * DeviceVersion, DeviceEventClassID, Activity and LogSeverity; extension keys to the columns of Microsoft
 * Sentinel's "CEF and CommonSecurityLog field mapping" ({@link CefKeys}); the rest to AdditionalExtensions.
 * TimeGenerated is the syslog header's time, else {@code rt}, else the time the line was read.
 */
public final class CefFormat implements LogFormat {
    public static final String NAME = "cef";
    static final String MARKER = "CEF:";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ArcSight CEF lines, bare or over syslog, into CommonSecurityLog";
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
        TextRecords.forEachLine(
                source,
                NAME,
                input,
                context.maxRecordBytes(),
                sink,
                line -> parseLine(source, line.text(), line.raw(), Optional.empty(), context, sink));
    }

    /** Parses one CEF message as a syslog listener receives it, with the sender's address or name. */
    public void parseMessage(byte[] message, String sourceHost, ParseContext context, RecordSink sink) {
        String source = "syslog";
        Optional<String> host = Optional.ofNullable(sourceHost).filter(name -> !name.isBlank());
        if (host.isPresent()) {
            source = "syslog:" + host.get();
        }
        String text = TextRecords.decode(source, NAME, message, context.maxRecordBytes(), sink);
        if (text != null) {
            parseLine(source, text.stripTrailing(), message, host, context, sink);
        }
    }

    private static void parseLine(
            String source,
            String text,
            byte[] raw,
            Optional<String> sourceHost,
            ParseContext context,
            RecordSink sink) {
        try {
            parseEvent(source, text, raw, sourceHost, context, sink);
        } catch (RuntimeException e) {
            // written not to throw; this keeps "one bad line never loses its neighbours" if it ever does
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.MALFORMED_LINE, "parser error: " + e.getMessage(), raw));
        }
    }

    private static void parseEvent(
            String source,
            String text,
            byte[] raw,
            Optional<String> sourceHost,
            ParseContext context,
            RecordSink sink) {
        int marker = SyslogEnvelope.find(text, MARKER);
        if (marker < 0) {
            sink.deadLetter(new DeadLetter(source, NAME, DeadLetterReason.MALFORMED_LINE, "no CEF: header", raw));
            return;
        }
        SyslogEnvelope envelope = SyslogEnvelope.parse(text.substring(0, marker), context);
        CefParser.Event event = CefParser.parse(text.substring(marker + MARKER.length()));
        if (event == null) {
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.TRUNCATED, "CEF header has fewer than 7 fields", raw));
            return;
        }
        SecurityLogRow row = new SecurityLogRow(context);
        List<String> header = event.header();
        setIfNotEmpty(row, "DeviceVendor", header.get(1));
        setIfNotEmpty(row, "DeviceProduct", header.get(2));
        setIfNotEmpty(row, "DeviceVersion", header.get(3));
        setIfNotEmpty(row, "DeviceEventClassID", header.get(4));
        setIfNotEmpty(row, "Activity", header.get(5));
        setIfNotEmpty(row, "LogSeverity", header.get(6));
        if (!event.orphanText().isEmpty()) {
            row.keepText(event.orphanText());
        }
        for (CefParser.Extension extension : event.extensions()) {
            Optional<List<String>> columns = CefKeys.columns(extension.key());
            if (columns.isPresent()) {
                row.put(extension.key(), extension.rawValue(), extension.value(), columns.get());
            } else {
                row.keep(extension.key(), extension.rawValue());
            }
        }
        // the exported CommonSecurityLog rows of the Sentinel sample data repeat DeviceAction here
        if (row.get("DeviceAction") instanceof String action) {
            row.setText("SimplifiedDeviceAction", action);
        }
        envelope.host().or(() -> sourceHost).ifPresent(host -> row.setText("Computer", host));
        row.setText("SourceSystem", "OpsManager");
        Instant time = envelope.time().orElse(null);
        if (time == null && row.get("ReceiptTime") instanceof String receipt) {
            time = SecurityLogRow.parseTime(receipt, context);
        }
        if (time == null) {
            time = context.clock().instant();
        }
        sink.row(row.build(time));
    }

    private static void setIfNotEmpty(SecurityLogRow row, String column, String value) {
        if (!value.isEmpty()) {
            row.setText(column, value);
        }
    }
}
