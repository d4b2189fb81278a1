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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RFC 5425 over the JDK's TLS, with a self-signed keystore made by keytool; openssl as a second peer. */
@Timeout(120)
class SyslogTlsListenerTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String PASSWORD = "vigil-test-password";

    @TempDir
    Path temp;

    private final Metrics metrics = new Metrics();
    private DuckDbStore store;
    private SyslogListener listener;
    private SyslogTlsConfig keystore;

    @BeforeEach
    void start() throws Exception {
        store = DuckDbStore.open(temp.resolve("data"), StoreOptions.DEFAULT, Clock.systemUTC(), metrics);
        keystore = SyslogTestPeers.selfSignedKeystore(temp, PASSWORD);
        listener = SyslogListener.start(
                SyslogListenerConfig.tls(LOOPBACK, 0, keystore), SyslogTestPeers.pipeline(store, metrics), metrics);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (listener != null) {
            listener.close();
        }
        store.close();
    }

    @Test
    void javaClientSendsOctetCountedRfc5424Frames() throws Exception {
        try (SSLSocket socket =
                (SSLSocket) clientContext().getSocketFactory().createSocket(LOOPBACK, listener.port())) {
            SSLParameters parameters = socket.getSSLParameters();
            // the certificate names 127.0.0.1, so the client checks it like any TLS client would
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 3; i++) {
                String message = "<34>1 2026-11-25T10:0" + i + ":00.000Z mymachine.example.com su - ID47"
                        + " [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] 'su root' failed " + i;
                byte[] bytes = message.getBytes(UTF_8);
                // RFC 5425 §4.3: syslog-frame = msg-len SP syslog-msg
                out.write((bytes.length + " ").getBytes(UTF_8));
                out.write(bytes);
            }
            out.flush();
            await("three rows", () -> count(store, "SELECT count(*) FROM Syslog") == 3);
        }
        List<Map<String, Object>> rows = query(
                store,
                "SELECT Facility, SeverityLevel, HostName, ProcessName, SyslogMessage, HostIP FROM Syslog"
                        + " ORDER BY SyslogMessage");
        assertThat(rows.get(0))
                .containsEntry("Facility", "auth")
                .containsEntry("SeverityLevel", "crit")
                .containsEntry("HostName", "mymachine.example.com")
                .containsEntry("ProcessName", "su")
                .containsEntry("HostIP", LOOPBACK)
                .containsEntry(
                        "SyslogMessage",
                        "ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] 'su root' failed 0");
        assertThat(metrics.value("events_received_total", "input", "syslog_tls", "format", "syslog_rfc5424"))
                .isEqualTo(3);
    }

    @Test
    void opensslClientIsASecondPeer() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed (apt-get install openssl)");
        String message = "<13>1 2026-11-25T10:00:00Z opensslhost sclient 77 - - sent by openssl s_client";
        byte[] frame = (message.length() + " " + message).getBytes(UTF_8);
        Process process = new ProcessBuilder(
                        "/usr/bin/openssl",
                        "s_client",
                        "-connect",
                        LOOPBACK + ":" + listener.port(),
                        "-quiet",
                        "-no_ign_eof")
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(frame);
        }
        try (InputStream output = process.getInputStream()) {
            await("a row from openssl", () -> count(store, "SELECT count(*) FROM Syslog") == 1);
        } finally {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        assertThat(query(store, "SELECT HostName, ProcessName, SyslogMessage FROM Syslog")
                        .get(0))
                .containsEntry("HostName", "opensslhost")
                .containsEntry("ProcessName", "sclient")
                .containsEntry("SyslogMessage", "sent by openssl s_client");
    }

    @Test
    void aPlainTextClientIsClosedAndTheListenerKeepsServing() throws Exception {
        try (Socket plain = new Socket(LOOPBACK, listener.port())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("<13>Nov 25 10:00:00 host app: not TLS\n".getBytes(UTF_8));
            InputStream in = plain.getInputStream();
            // the server answers with a TLS alert at most, then closes
            for (int i = 0; i < 1_000 && in.read() >= 0; i++) {
                // drain
            }
        }
        try (SSLSocket socket =
                (SSLSocket) clientContext().getSocketFactory().createSocket(LOOPBACK, listener.port())) {
            String message = "<13>1 2026-11-25T10:00:00Z host app - - - after a plain client";
            socket.getOutputStream().write((message.length() + " " + message).getBytes(UTF_8));
            socket.getOutputStream().flush();
            await("a row", () -> count(store, "SELECT count(*) FROM Syslog") == 1);
        }
        assertThat(metrics.value("syslog_connections_closed_total", "input", "syslog_tls", "reason", "tls_error"))
                .isEqualTo(1);
        assertThat(count(store, "SELECT count(*) FROM VigilDeadLetter")).isZero();
    }

    @Test
    void aWrongPasswordFailsAtStart() throws Exception {
        Path wrong = temp.resolve("wrong.password");
        Files.writeString(wrong, "not the password\n");
        assertThatThrownBy(() -> SyslogListener.start(
                        SyslogListenerConfig.tls(LOOPBACK, 0, new SyslogTlsConfig(keystorePath(), wrong)),
                        SyslogTestPeers.pipeline(store, metrics),
                        metrics))
                .isInstanceOfSatisfying(
                        VigilException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(StandardErrorCode.INVALID_CONFIGURATION));
    }

    private SSLContext clientContext() throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystorePath())) {
            server.load(in, PASSWORD.toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("vigil", server.getCertificate("vigil"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private Path keystorePath() {
        return switch (keystore.identity()) {
            case SyslogTlsConfig.Identity.Keystore file -> file.keystore();
            case SyslogTlsConfig.Identity.Pem pem -> throw new IllegalStateException("this test uses a keystore");
        };
    }
}
