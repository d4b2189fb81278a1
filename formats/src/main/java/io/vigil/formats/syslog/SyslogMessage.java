package io.vigil.formats.syslog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One parsed syslog message, RFC 3164 or RFC 5424. Absent header fields (RFC 5424 NILVALUE {@code -},
 * or a BSD header without them) are empty.
 *
 * @param priority the PRI, or {@link Priority#DEFAULT} when the message had none
 * @param hadPriority whether the message carried a PRI
 * @param timestamp the message's own time
 * @param hostname the HOSTNAME field
 * @param appName APP-NAME (RFC 5424) or the TAG before {@code [pid]:} (RFC 3164)
 * @param procId PROCID (RFC 5424) or the {@code [pid]} after the tag (RFC 3164)
 * @param msgId MSGID (RFC 5424 only)
 * @param structuredData the STRUCTURED-DATA text exactly as sent (RFC 5424 only)
 * @param elements the parsed structured data
 * @param message MSG, without a leading byte order mark
 */
public record SyslogMessage(
        Priority priority,
        boolean hadPriority,
        Optional<Instant> timestamp,
        Optional<String> hostname,
        Optional<String> appName,
        Optional<String> procId,
        Optional<String> msgId,
        Optional<String> structuredData,
        List<StructuredData.Element> elements,
        String message) {
    public SyslogMessage {
        requireNonNull(priority, "priority is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(appName, "appName is null");
        requireNonNull(procId, "procId is null");
        requireNonNull(msgId, "msgId is null");
        requireNonNull(structuredData, "structuredData is null");
        elements = List.copyOf(requireNonNull(elements, "elements is null"));
        requireNonNull(message, "message is null");
    }
}
