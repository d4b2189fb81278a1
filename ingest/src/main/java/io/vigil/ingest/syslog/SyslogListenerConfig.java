package io.vigil.ingest.syslog;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.time.Duration;
import java.util.Optional;

/**
 * One syslog listener: where it listens and its bounds.
 *
 * @param transport UDP, TCP or TLS
 * @param bindAddress the address to listen on (an IP literal, such as 127.0.0.1)
 * @param port the port; 0 picks a free one
 * @param maxMessageBytes longer messages are dead-lettered as {@code oversize} with their first bytes
 * @param maxConnections TCP and TLS connections beyond this are refused
 * @param idleTimeout a TCP or TLS connection that sends nothing for this long is closed
 * @param maxBatchMessages messages per store write
 * @param batchLinger how long a message waits for others before a smaller write
 * @param tls the keystore of a TLS listener, empty for the others
 * @param senders whose messages are taken; others' datagrams are dropped and connections closed, counted as
 *     {@code requests_rejected_total{reason="sender_not_allowed"}}
 */
public record SyslogListenerConfig(
        SyslogTransport transport,
        String bindAddress,
        int port,
        int maxMessageBytes,
        int maxConnections,
        Duration idleTimeout,
        int maxBatchMessages,
        Duration batchLinger,
        Optional<SyslogTlsConfig> tls,
        SenderFilter senders) {
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_BATCH_MESSAGES = 1_000;
    public static final Duration DEFAULT_BATCH_LINGER = Duration.ofMillis(50);

    public SyslogListenerConfig {
        requireNonNull(transport, "transport is null");
        requireNonNull(bindAddress, "bindAddress is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(batchLinger, "batchLinger is null");
        requireNonNull(tls, "tls is null");
        requireNonNull(senders, "senders is null");
        if (port < 0 || port > 65_535) {
            throw invalid("port must be 0..65535, was " + port);
        }
        if (maxMessageBytes < 480 || maxMessageBytes > 16 * 1024 * 1024) {
            // RFC 5426 §3.2 and RFC 5425 §4.3.1: receivers must take at least 480 and 2048 octets
            throw invalid("maxMessageBytes must be 480..16777216, was " + maxMessageBytes);
        }
        if (maxConnections <= 0) {
            throw invalid("maxConnections must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || batchLinger.isNegative()) {
            throw invalid("idleTimeout must be positive and batchLinger not negative");
        }
        if (maxBatchMessages <= 0) {
            throw invalid("maxBatchMessages must be positive");
        }
        if ((transport == SyslogTransport.TLS) != tls.isPresent()) {
            throw invalid("a keystore is needed by the TLS listener and only by it");
        }
    }

    /** A UDP or TCP listener with the default bounds, taking loopback senders only. */
    public static SyslogListenerConfig of(SyslogTransport transport, String bindAddress, int port) {
        return builder(transport, bindAddress, port).build();
    }

    /** A TLS listener with the default bounds and senders ({@link #defaultSenders}). */
    public static SyslogListenerConfig tls(String bindAddress, int port, SyslogTlsConfig keystore) {
        return builder(SyslogTransport.TLS, bindAddress, port)
                .tls(Optional.of(keystore))
                .senders(defaultSenders(keystore))
                .build();
    }

    /** A builder with the default bounds, no keystore and loopback senders only. */
    public static Builder builder(SyslogTransport transport, String bindAddress, int port) {
        return new Builder(transport, bindAddress, port);
    }

    /** A builder starting from this listener. */
    public Builder toBuilder() {
        return new Builder(transport, bindAddress, port)
                .maxMessageBytes(maxMessageBytes)
                .maxConnections(maxConnections)
                .idleTimeout(idleTimeout)
                .maxBatchMessages(maxBatchMessages)
                .batchLinger(batchLinger)
                .tls(tls)
                .senders(senders);
    }

    /** Sets the bounds one by one; {@link #build} checks them together. */
    public static final class Builder {
        private final SyslogTransport transport;
        private final String bindAddress;
        private final int port;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxBatchMessages = DEFAULT_MAX_BATCH_MESSAGES;
        private Duration batchLinger = DEFAULT_BATCH_LINGER;
        private Optional<SyslogTlsConfig> tls = Optional.empty();
        private SenderFilter senders = SenderFilter.LOOPBACK;

        private Builder(SyslogTransport transport, String bindAddress, int port) {
            this.transport = transport;
            this.bindAddress = bindAddress;
            this.port = port;
        }

        public Builder maxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder maxBatchMessages(int value) {
            maxBatchMessages = value;
            return this;
        }

        public Builder batchLinger(Duration value) {
            batchLinger = value;
            return this;
        }

        public Builder tls(Optional<SyslogTlsConfig> value) {
            tls = value;
            return this;
        }

        /** Takes messages from {@code allowed} senders only. */
        public Builder senders(SenderFilter allowed) {
            senders = allowed;
            return this;
        }

        public SyslogListenerConfig build() {
            return new SyslogListenerConfig(
                    transport,
                    bindAddress,
                    port,
                    maxMessageBytes,
                    maxConnections,
                    idleTimeout,
                    maxBatchMessages,
                    batchLinger,
                    tls,
                    senders);
        }
    }

    /**
     * Loopback senders only, unless the TLS listener requires client certificates: those authenticate the
     * sender, so any address may connect.
     */
    static SenderFilter defaultSenders(SyslogTlsConfig keystore) {
        if (keystore.clientCa().isPresent()) {
            return SenderFilter.ANY;
        }
        return SenderFilter.LOOPBACK;
    }

    private static VigilException invalid(String message) {
        return new VigilException(StandardErrorCode.INVALID_CONFIGURATION, "syslog listener: " + message);
    }
}
