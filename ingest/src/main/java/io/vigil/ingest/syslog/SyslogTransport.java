package io.vigil.ingest.syslog;

/**
 * The syslog transports Vigil listens on. Each is a separate listener with its own {@code input} metric
 * label; framing and format are chosen per message, not per transport.
 */
public enum SyslogTransport {
    UDP("syslog_udp", "RFC 5426: one datagram is one message"),
    TCP("syslog_tcp", "RFC 6587: octet counting or LF/NUL/CRLF-terminated frames, detected per frame"),
    TLS("syslog_tls", "RFC 5425: octet-counted frames over TLS (terminated frames accepted too)");

    private final String input;
    private final String description;

    SyslogTransport(String input, String description) {
        this.input = input;
        this.description = description;
    }

    /** The stable snake_case name, used as the {@code input} label of every metric of the listener. */
    public String input() {
        return input;
    }

    public String description() {
        return description;
    }
}
