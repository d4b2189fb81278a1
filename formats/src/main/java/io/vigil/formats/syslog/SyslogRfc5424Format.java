package io.vigil.formats.syslog;

import io.vigil.formats.common.TextRecords;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.util.List;
import java.util.Optional;

/**
 * RFC 5424 syslog messages, one per line in a file ({@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID
 * MSGID [SD] MSG}), into the {@code Syslog} table. NILVALUE fields are left empty; structured data keeps
 * its escapes in SyslogMessage (see {@link SyslogRows#messageText}). A BSD (RFC 3164) message on the same
 * input is parsed too, since one listener receives both.
 */
public final class SyslogRfc5424Format implements LogFormat {
    public static final String NAME = "syslog_rfc5424";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "RFC 5424 syslog messages, one per line (<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG) into Syslog";
    }

    @Override
    public List<String> outputTables() {
        return List.of(SyslogRows.TABLE);
    }

    @Override
    public int detect(byte[] head) {
        int score = 0;
        for (String line : TextRecords.headLines(head, 4)) {
            if (line.isBlank()) {
                continue;
            }
            if (!SyslogParser.looksLike5424(line)) {
                return 0;
            }
            // CEF or LEEF over syslog belongs to those formats, which read the syslog header too
            if (line.contains("CEF:") || line.contains("LEEF:")) {
                return 30;
            }
            score = 85;
        }
        return score;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        TextRecords.forEachLine(
                source,
                NAME,
                input,
                context.maxRecordBytes(),
                sink,
                line -> SyslogRows.emit(source, NAME, line.text(), line.raw(), Optional.empty(), context, sink));
    }

    /**
     * Parses one message as a listener receives it (UDP datagram or one TCP frame), with the sender's
     * address or name for the HostIP column and for messages without a HOSTNAME.
     */
    public void parseMessage(byte[] message, String sourceHost, ParseContext context, RecordSink sink) {
        SyslogFraming.parseMessage(NAME, message, sourceHost, context, sink);
    }
}
