package io.vigil.ingest.syslog;

import static io.vigil.ingest.syslog.SyslogTestPeers.await;
import static io.vigil.ingest.syslog.SyslogTestPeers.count;
import static io.vigil.ingest.syslog.SyslogTestPeers.query;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.metrics.Metrics;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 5425 mutual authentication with a PEM identity and a client CA, all made by openssl; {@code openssl
 * s_client} is the peer, with the CA's client certificate, without one, and with one from another CA.
 */
@Timeout(120)
class SyslogTlsClientCertificateTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    Path temp;

    private final Metrics metrics = new Metrics();
    private DuckDbStore store;
    private SyslogListener listener;
    private TestCertificates certificates;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed (apt-get install openssl)");
        store = DuckDbStore.open(temp.resolve("data"), StoreOptions.DEFAULT, Clock.systemUTC(), metrics);
        certificates = TestCertificates.create(temp.resolve("pki"));
        SyslogTlsConfig tls = new SyslogTlsConfig(
                new SyslogTlsConfig.Identity.Pem(certificates.serverCertificate(), certificates.serverKey()),
                Optional.of(certificates.caCertificate()));
        listener = SyslogListener.start(
                SyslogListenerConfig.tls(LOOPBACK, 0, tls), SyslogTestPeers.pipeline(store, metrics), metrics);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (listener != null) {
            listener.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aClientWithACertificateOfTheCaIsAccepted() throws Exception {
        String message = "<38>1 2026-11-25T10:00:00Z certhost sshd 901 - - accepted with a client certificate";
        String output = sendWithOpenssl(
                message,
                "-cert",
                certificates.clientCertificate().toString(),
                "-key",
                certificates.clientKey().toString());
        await("a row from the authenticated client", () -> count(store, "SELECT count(*) FROM Syslog") == 1);
        assertThat(query(store, "SELECT HostName, ProcessName, SyslogMessage FROM Syslog")
                        .get(0))
                .containsEntry("HostName", "certhost")
                .containsEntry("ProcessName", "sshd")
                .containsEntry("SyslogMessage", "accepted with a client certificate");
        assertThat(output).contains("verify return:1");
        assertThat(metrics.value("syslog_connections_closed_total", "input", "syslog_tls", "reason", "tls_error"))
                .isZero();
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        sendWithOpenssl("<38>1 2026-11-25T10:00:00Z nocert app - - - must not be stored");
        awaitClosedByTls(1);
        assertThat(count(store, "SELECT count(*) FROM Syslog")).isZero();
        assertThat(count(store, "SELECT count(*) FROM VigilDeadLetter")).isZero();
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefused() throws Exception {
        TestCertificates other = TestCertificates.create(temp.resolve("other-pki"));
        sendWithOpenssl(
                "<38>1 2026-11-25T10:00:00Z othercert app - - - must not be stored",
                "-cert",
                other.clientCertificate().toString(),
                "-key",
                other.clientKey().toString());
        awaitClosedByTls(1);
        assertThat(count(store, "SELECT count(*) FROM Syslog")).isZero();
    }

    @Test
    void aMissingCaFileFailsAtStart() {
        SyslogTlsConfig tls = new SyslogTlsConfig(
                new SyslogTlsConfig.Identity.Pem(certificates.serverCertificate(), certificates.serverKey()),
                Optional.of(temp.resolve("no-such-ca.pem")));
        assertThatThrownBy(() -> SyslogListener.start(
                        SyslogListenerConfig.tls(LOOPBACK, 0, tls), SyslogTestPeers.pipeline(store, metrics), metrics))
                .isInstanceOfSatisfying(
                        VigilException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(StandardErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("no-such-ca.pem");
    }

    private void awaitClosedByTls(long connections) throws InterruptedException {
        await(
                "the listener closing the handshake",
                () -> metrics.value("syslog_connections_closed_total", "input", "syslog_tls", "reason", "tls_error")
                        >= connections);
    }

    /** Sends one octet-counted frame with {@code openssl s_client}, then closes; returns what it printed. */
    private String sendWithOpenssl(String message, String... clientArguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                OPENSSL.toString(),
                "s_client",
                "-connect",
                LOOPBACK + ":" + listener.port(),
                "-CAfile",
                certificates.caCertificate().toString(),
                "-verify_return_error",
                "-quiet",
                "-no_ign_eof"));
        command.addAll(List.of(clientArguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] frame = (message.length() + " " + message).getBytes(UTF_8);
        try (OutputStream in = process.getOutputStream()) {
            in.write(frame);
        } catch (IOException e) {
            // the server may already have closed the connection: the refusal the test looks for
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream out = process.getInputStream()) {
                out.transferTo(printed);
            } catch (IOException e) {
                // the process ended
            }
        });
        if (!process.waitFor(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(Duration.ofSeconds(5));
        return printed.toString(UTF_8);
    }
}
