package io.vigil.app;

import static java.util.Objects.requireNonNull;

import io.vigil.ingest.syslog.SyslogListenerConfig;
import io.vigil.ingest.syslog.SyslogTlsConfig;
import io.vigil.ingest.syslog.SyslogTransport;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which syslog listeners a server runs: a port per transport (0 = off) and the TLS listener's settings.
 * They bind to the server's address.
 */
record SyslogOptions(int udpPort, int tcpPort, int tlsPort, Optional<SyslogTlsConfig> tls) {
    static final SyslogOptions NONE = new SyslogOptions(0, 0, 0, Optional.empty());

    SyslogOptions {
        requireNonNull(tls, "tls is null");
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
            configs.add(SyslogListenerConfig.of(SyslogTransport.UDP, bind, udpPort));
        }
        if (tcpPort > 0) {
            configs.add(SyslogListenerConfig.of(SyslogTransport.TCP, bind, tcpPort));
        }
        if (tlsPort > 0) {
            configs.add(SyslogListenerConfig.tls(bind, tlsPort, tls.orElseThrow()));
        }
        return configs;
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
