package io.vigil.formats.syslog;

import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns parsed syslog messages into {@code Syslog} rows the way the Azure Monitor Agent fills them:
 * Facility and SeverityLevel by name, HostName and Computer from the header, ProcessName/ProcessID from
 * the tag, SourceSystem {@code Linux}. HostIP is the sender's address when the transport knows it and
 * {@code Unknown IP} otherwise, as in the exported Syslog rows of the Sentinel sample data.
 */
final class SyslogRows {
    static final String TABLE = "Syslog";
    static final String UNKNOWN_IP = "Unknown IP";

    private SyslogRows() {}

    /** Parses one message (already framed, without its line end) and emits a row or a dead letter. */
    static void emit(
            String source,
            String format,
            String text,
            byte[] raw,
            Optional<String> sourceHost,
            ParseContext context,
            RecordSink sink) {
        SyslogParser.Result result;
        try {
            result = SyslogParser.parse(text, context.clock().instant(), context.zone());
        } catch (RuntimeException e) {
            // the parser is written not to throw; this keeps the contract if it ever does
            sink.deadLetter(new DeadLetter(
                    source, format, DeadLetterReason.MALFORMED_LINE, "parser error: " + e.getMessage(), raw));
            return;
        }
        switch (result) {
            case SyslogParser.Parsed parsed -> sink.row(toRow(parsed.message(), sourceHost, context));
            case SyslogParser.Failed failed ->
                sink.deadLetter(new DeadLetter(source, format, failed.reason(), failed.detail(), raw));
        }
    }

    static Row toRow(SyslogMessage message, Optional<String> sourceHost, ParseContext context) {
        TableSchema schema = context.catalog().table(TABLE).orElseThrow();
        Row.Builder row = schema.newRow();
        Instant now = context.clock().instant();
        // TimeGenerated is the message's own time so that imported history lands where it happened; a
        // message without one (RFC 5424 NILVALUE, a bare BSD line) gets the time it was read
        Instant time = message.timestamp().orElse(now);
        row.set("TimeGenerated", time);
        message.timestamp().ifPresent(instant -> row.set("EventTime", instant));
        row.set("Facility", message.priority().facility().azureName());
        row.set("SeverityLevel", message.priority().severity().azureName());
        Optional<String> host = message.hostname().or(() -> sourceHost);
        host.ifPresent(name -> {
            row.set("HostName", name);
            row.set("Computer", name);
        });
        row.set("HostIP", sourceHost.filter(SyslogRows::isIpLiteral).orElse(UNKNOWN_IP));
        message.appName().ifPresent(name -> row.set("ProcessName", name));
        message.procId().flatMap(SyslogRows::parseInt).ifPresent(pid -> row.set("ProcessID", pid));
        row.set("SyslogMessage", messageText(message));
        row.set("SourceSystem", "Linux");
        row.set("Type", TABLE);
        return row.build();
    }

    /**
     * The Syslog table has no columns for RFC 5424 MSGID and STRUCTURED-DATA (the agent's rsyslog
     * forwarding template drops them); Vigil keeps them in front of MSG, in their wire syntax, so that
     * nothing is lost: {@code MSGID [SD] MSG}.
     */
    static String messageText(SyslogMessage message) {
        List<String> parts = new ArrayList<>(3);
        message.msgId().ifPresent(parts::add);
        message.structuredData().ifPresent(parts::add);
        if (parts.isEmpty()) {
            return message.message();
        }
        if (!message.message().isEmpty()) {
            parts.add(message.message());
        }
        return String.join(" ", parts);
    }

    private static Optional<Integer> parseInt(String text) {
        if (text.isEmpty() || text.length() > 10) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return Optional.empty();
            }
        }
        long value = Long.parseLong(text);
        if (value > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of((int) value);
    }

    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    return false;
                }
            }
            return true;
        }
        // dotted quad: four groups of one to three digits, each at most 255
        int groups = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= host.length(); i++) {
            if (i == host.length() || host.charAt(i) == '.') {
                if (digits == 0 || value > 255) {
                    return false;
                }
                groups++;
                value = 0;
                digits = 0;
            } else {
                char c = host.charAt(i);
                if (c < '0' || c > '9' || digits == 3) {
                    return false;
                }
                value = value * 10 + (c - '0');
                digits++;
            }
        }
        return groups == 4;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
