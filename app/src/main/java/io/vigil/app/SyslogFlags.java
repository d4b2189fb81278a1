package io.vigil.app;

import io.vigil.ingest.syslog.SenderFilter;
import io.vigil.ingest.syslog.SyslogTlsConfig;
import io.vigil.ingest.syslog.SyslogTransport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The syslog listener flags shared by {@code vigil server} and {@code vigil demo}. */
final class SyslogFlags {
    @Option(
            names = "--syslog-udp-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Syslog over UDP (RFC 5426) on this port; 0 = off. Default: ${DEFAULT-VALUE}")
    int udpPort;

    @Option(
            names = "--syslog-tcp-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Syslog over TCP (RFC 6587, octet counting or LF framing) on this port; 0 = off."
                    + " Default: ${DEFAULT-VALUE}")
    int tcpPort;

    @Option(
            names = "--syslog-tls-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Syslog over TLS (RFC 5425) on this port; 0 = off. Default: ${DEFAULT-VALUE}")
    int tlsPort;

    @Option(
            names = "--syslog-tls-cert",
            paramLabel = "PEM",
            description = "PEM certificate chain (leaf first) of the TLS listener")
    Path tlsCertificate;

    @Option(
            names = "--syslog-tls-key",
            paramLabel = "PEM",
            description = "Unencrypted PKCS#8 PEM private key of --syslog-tls-cert")
    Path tlsKey;

    @Option(
            names = "--syslog-tls-client-ca",
            paramLabel = "PEM",
            description = "Require client certificates signed by a CA of this PEM bundle (RFC 5425 mutual"
                    + " authentication); without it clients are not asked for one")
    Path tlsClientCa;

    @Option(
            names = "--syslog-tls-keystore",
            paramLabel = "FILE",
            description = "PKCS12 keystore with the TLS listener's key and certificate")
    Path tlsKeystore;

    @Option(
            names = "--syslog-tls-password-file",
            paramLabel = "FILE",
            description = "File whose first line is the keystore's password")
    Path tlsPasswordFile;

    @Option(
            names = "--syslog-udp-allow",
            paramLabel = "CIDR",
            description = "Senders the UDP listener takes messages from (CIDR such as 10.0.0.0/8, or 'any');"
                    + " repeatable. Default: loopback only")
    List<String> udpAllow = new ArrayList<>();

    @Option(
            names = "--syslog-tcp-allow",
            paramLabel = "CIDR",
            description = "Senders the TCP listener accepts connections from (CIDR or 'any'); repeatable."
                    + " Default: loopback only")
    List<String> tcpAllow = new ArrayList<>();

    @Option(
            names = "--syslog-tls-allow",
            paramLabel = "CIDR",
            description = "Senders the TLS listener accepts connections from (CIDR or 'any'); repeatable."
                    + " Default: any with --syslog-tls-client-ca (certificates authenticate), else loopback only")
    List<String> tlsAllow = new ArrayList<>();

    SyslogOptions options() {
        Map<SyslogTransport, SenderFilter> senders = new EnumMap<>(SyslogTransport.class);
        allowed(senders, SyslogTransport.UDP, udpAllow);
        allowed(senders, SyslogTransport.TCP, tcpAllow);
        allowed(senders, SyslogTransport.TLS, tlsAllow);
        return new SyslogOptions(udpPort, tcpPort, tlsPort, tls(), senders);
    }

    private static void allowed(
            Map<SyslogTransport, SenderFilter> senders, SyslogTransport transport, List<String> specs) {
        if (!specs.isEmpty()) {
            senders.put(transport, SenderFilter.parse(specs));
        }
    }

    private Optional<SyslogTlsConfig> tls() {
        boolean pem = tlsCertificate != null || tlsKey != null;
        boolean keystore = tlsKeystore != null || tlsPasswordFile != null;
        if (pem && keystore) {
            throw SyslogOptions.invalid("give the syslog TLS identity as PEM (--syslog-tls-cert, --syslog-tls-key)"
                    + " or as PKCS12 (--syslog-tls-keystore, --syslog-tls-password-file), not both");
        }
        Optional<SyslogTlsConfig.Identity> identity = Optional.empty();
        if (pem) {
            if (tlsCertificate == null || tlsKey == null) {
                throw SyslogOptions.invalid("--syslog-tls-cert and --syslog-tls-key go together");
            }
            identity = Optional.of(new SyslogTlsConfig.Identity.Pem(tlsCertificate, tlsKey));
        }
        if (keystore) {
            if (tlsKeystore == null || tlsPasswordFile == null) {
                throw SyslogOptions.invalid("--syslog-tls-keystore needs --syslog-tls-password-file");
            }
            identity = Optional.of(new SyslogTlsConfig.Identity.Keystore(tlsKeystore, tlsPasswordFile));
        }
        if (tlsClientCa != null && identity.isEmpty()) {
            throw SyslogOptions.invalid("--syslog-tls-client-ca needs the TLS listener's identity");
        }
        return identity.map(present -> new SyslogTlsConfig(present, Optional.ofNullable(tlsClientCa)));
    }
}
