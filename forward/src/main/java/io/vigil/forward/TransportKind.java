package io.vigil.forward;

/** The transports a syslog sink can use, by their configuration names. */
public enum TransportKind {
    UDP("udp", "one datagram per message (RFC 5426); at most once: a peer that is down loses messages"),
    TCP("tcp", "a TCP stream, LF or octet-counted (RFC 6587); at least once"),
    TLS("tls", "TCP with TLS, octet-counted (RFC 5425); at least once, server certificate and name checked");

    private final String configName;
    private final String description;

    TransportKind(String configName, String description) {
        this.configName = configName;
        this.description = description;
    }

    public String configName() {
        return configName;
    }

    public String description() {
        return description;
    }

    public static TransportKind fromConfigName(String name) {
        for (TransportKind kind : values()) {
            if (kind.configName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "' (udp, tcp or tls)");
    }
}
