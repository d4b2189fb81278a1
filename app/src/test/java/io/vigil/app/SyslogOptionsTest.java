package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.ingest.syslog.SenderFilter;
import io.vigil.ingest.syslog.SyslogListenerConfig;
import io.vigil.ingest.syslog.SyslogTlsConfig;
import io.vigil.ingest.syslog.SyslogTransport;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SyslogOptionsTest {
    @Test
    void listenersAreOffUnlessAPortIsGiven() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs();
        assertThat(server.server.syslog.options()).isEqualTo(SyslogOptions.NONE);
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs();
        assertThat(demo.server.syslog.options().listeners("127.0.0.1")).isEmpty();
    }

    @Test
    void flagsBecomeListenersOnTheBindAddress() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server)
                .parseArgs(
                        "--bind",
                        "127.0.0.1",
                        "--syslog-udp-port",
                        "5514",
                        "--syslog-tcp-port",
                        "5515",
                        "--syslog-tls-port",
                        "6514",
                        "--syslog-tls-keystore",
                        "syslog.p12",
                        "--syslog-tls-password-file",
                        "syslog.password");
        List<SyslogListenerConfig> listeners = server.server.syslog.options().listeners(server.server.bind);
        assertThat(listeners)
                .extracting(
                        SyslogListenerConfig::transport, SyslogListenerConfig::port, SyslogListenerConfig::bindAddress)
                .containsExactly(
                        tuple(SyslogTransport.UDP, 5514, "127.0.0.1"),
                        tuple(SyslogTransport.TCP, 5515, "127.0.0.1"),
                        tuple(SyslogTransport.TLS, 6514, "127.0.0.1"));
        assertThat(listeners.get(2).tls().orElseThrow())
                .isEqualTo(new SyslogTlsConfig(Path.of("syslog.p12"), Path.of("syslog.password")));
    }

    @Test
    void eachListenerTakesLoopbackSendersUnlessItsAllowFlagSaysOtherwise() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server)
                .parseArgs(
                        "--syslog-udp-port",
                        "5514",
                        "--syslog-tcp-port",
                        "5515",
                        "--syslog-udp-allow",
                        "10.0.0.0/8",
                        "--syslog-udp-allow",
                        "2001:db8::/32",
                        "--syslog-tls-allow",
                        "any");
        List<SyslogListenerConfig> listeners = server.server.syslog.options().listeners("0.0.0.0");
        assertThat(listeners.get(0).senders()).isEqualTo(SenderFilter.parse(List.of("10.0.0.0/8", "2001:db8::/32")));
        assertThat(listeners.get(1).senders()).isEqualTo(SenderFilter.LOOPBACK);
        // a TLS listener that requires client certificates lets them authenticate any address
        SyslogTlsConfig mutual = new SyslogTlsConfig(
                new SyslogTlsConfig.Identity.Pem(Path.of("s.pem"), Path.of("s.key")), Optional.of(Path.of("ca.pem")));
        SyslogTlsConfig serverOnly = new SyslogTlsConfig(
                new SyslogTlsConfig.Identity.Pem(Path.of("s.pem"), Path.of("s.key")), Optional.empty());
        assertThat(new SyslogOptions(0, 0, 6514, Optional.of(mutual))
                        .listeners("0.0.0.0")
                        .getFirst()
                        .senders())
                .isEqualTo(SenderFilter.ANY);
        assertThat(new SyslogOptions(0, 0, 6514, Optional.of(serverOnly))
                        .listeners("0.0.0.0")
                        .getFirst()
                        .senders())
                .isEqualTo(SenderFilter.LOOPBACK);
        ServerCommand wrong = new ServerCommand();
        new CommandLine(wrong).parseArgs("--syslog-tcp-allow", "printer.lan");
        assertThatThrownBy(() -> wrong.server.syslog.options())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("printer.lan");
    }

    @Test
    void pemIdentityWithAClientCaRequiresClientCertificates() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server)
                .parseArgs(
                        "--syslog-tls-port",
                        "6514",
                        "--syslog-tls-cert",
                        "server.pem",
                        "--syslog-tls-key",
                        "server.key",
                        "--syslog-tls-client-ca",
                        "ca.pem");
        assertThat(server.server.syslog.options().tls())
                .contains(new SyslogTlsConfig(
                        new SyslogTlsConfig.Identity.Pem(Path.of("server.pem"), Path.of("server.key")),
                        Optional.of(Path.of("ca.pem"))));
        ServerCommand both = new ServerCommand();
        new CommandLine(both)
                .parseArgs(
                        "--syslog-tls-cert",
                        "server.pem",
                        "--syslog-tls-key",
                        "server.key",
                        "--syslog-tls-keystore",
                        "syslog.p12");
        assertThatThrownBy(() -> both.server.syslog.options()).hasMessageContaining("not both");
        ServerCommand caAlone = new ServerCommand();
        new CommandLine(caAlone).parseArgs("--syslog-tls-client-ca", "ca.pem");
        assertThatThrownBy(() -> caAlone.server.syslog.options()).hasMessageContaining("--syslog-tls-client-ca needs");
    }

    @Test
    void tlsWithoutAKeystoreIsAConfigurationError() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--syslog-tls-port", "6514");
        assertThatThrownBy(() -> demo.server.syslog.options())
                .isInstanceOfSatisfying(
                        VigilException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(StandardErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("--syslog-tls-keystore");
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs("--syslog-udp-port", "70000");
        assertThatThrownBy(() -> server.server.syslog.options()).hasMessageContaining("--syslog-udp-port");
    }
}
