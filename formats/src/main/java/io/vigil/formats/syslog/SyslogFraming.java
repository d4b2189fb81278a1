package io.vigil.formats.syslog;

import io.vigil.formats.common.TextRecords;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.util.Optional;

/** What both syslog formats do with one message handed over by a listener. */
final class SyslogFraming {
    private SyslogFraming() {}

    static void parseMessage(String format, byte[] message, String sourceHost, ParseContext context, RecordSink sink) {
        String source = "syslog";
        Optional<String> host = Optional.ofNullable(sourceHost).filter(name -> !name.isBlank());
        if (host.isPresent()) {
            source = "syslog:" + host.get();
        }
        String text = TextRecords.decode(source, format, message, context.maxRecordBytes(), sink);
        if (text == null) {
            return;
        }
        // transports may leave the LF (RFC 6587 non-transparent framing) or NUL trailer on the message
        int end = text.length();
        while (end > 0
                && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\0')) {
            end--;
        }
        SyslogRows.emit(source, format, text.substring(0, end), message, host, context, sink);
    }
}
