package io.vigil.app;

import java.nio.file.Path;
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
            names = "--syslog-tls-keystore",
            paramLabel = "FILE",
            description = "PKCS12 keystore with the TLS listener's key and certificate")
    Path tlsKeystore;

    @Option(
            names = "--syslog-tls-password-file",
            paramLabel = "FILE",
            description = "File whose first line is the keystore's password")
    Path tlsPasswordFile;

    SyslogOptions options() {
        return new SyslogOptions(
                udpPort, tcpPort, tlsPort, Optional.ofNullable(tlsKeystore), Optional.ofNullable(tlsPasswordFile));
    }
}
