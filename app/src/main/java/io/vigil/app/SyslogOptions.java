package io.vigil.app;

import static java.util.Objects.requireNonNull;

import io.vigil.ingest.syslog.SenderFilter;
import io.vigil.ingest.syslog.SyslogListenerConfig;
import io.vigil.ingest.syslog.SyslogTlsConfig;
import io.vigil.ingest.syslog.SyslogTransport;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which syslog listeners a server runs: a port per transport (0 = off), the TLS listener's settings, and
 * per transport the senders it takes messages from where they differ from the listener's default (loopback
 * only; any address for a TLS listener that requires client certificates). They bind to the server's address.
 */
record SyslogOptions(
        int udpPort,
        int tcpPort,
        int tlsPort,
        Optional<SyslogTlsConfig> tls,
        Map<SyslogTransport, SenderFilter> senders) {
    static final SyslogOptions NONE = new SyslogOptions(0, 0, 0, Optional.empty());

    /** Listeners with their default senders. */
    SyslogOptions(int udpPort, int tcpPort, int tlsPort, Optional<SyslogTlsConfig> tls) {
        this(udpPort, tcpPort, tlsPort, tls, Map.of());
    }

    SyslogOptions {
        requireNonNull(tls, "tls is null");
        senders = Map.copyOf(senders);
        checkPort("--syslog-udp-port", udpPort);
        checkPort("--syslog-tcp-port", tcpPort);
        checkPort("--syslog-tls-port", tlsPort);
        if (tlsPort > 0 && tls.isEmpty()) {
            throw invalid("--syslog-tls-port needs --syslog-tls-cert and --syslog-tls-key (PEM), or"
                    + " --syslog-tls-keystore and --syslog-tls-password-file (PKCS12)");
        }
    }

    /** The listeners to start on {@code bind}, UDP then TCP then TLS. */
    List<SyslogListenerConfig> listeners(String bind) {
        List<SyslogListenerConfig> configs = new ArrayList<>();
        if (udpPort > 0) {
            configs.add(withSenders(SyslogListenerConfig.of(SyslogTransport.UDP, bind, udpPort)));
        }
        if (tcpPort > 0) {
            configs.add(withSenders(SyslogListenerConfig.of(SyslogTransport.TCP, bind, tcpPort)));
        }
        if (tlsPort > 0) {
            configs.add(withSenders(SyslogListenerConfig.tls(bind, tlsPort, tls.orElseThrow())));
        }
        return configs;
    }

    private SyslogListenerConfig withSenders(SyslogListenerConfig config) {
        SenderFilter allowed = senders.get(config.transport());
        if (allowed == null) {
            return config;
        }
        return config.toBuilder().senders(allowed).build();
    }

    private static void checkPort(String flag, int port) {
        if (port < 0 || port > 65_535) {
            throw invalid(flag + " must be 0 (off) or a port up to 65535, was " + port);
        }
    }

    static VigilException invalid(String message) {
        return new VigilException(StandardErrorCode.INVALID_CONFIGURATION, message);
    }
}
