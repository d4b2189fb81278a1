package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private static List<byte[]> messages(String... texts) {
        return java.util.Arrays.stream(texts)
                .map(text -> text.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    private static InetSocketAddress loopback(int port) {
        return InetSocketAddress.createUnresolved("127.0.0.1", port);
    }

    @Test
    void udpSendsOneDatagramPerMessage() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                UdpTransport transport = new UdpTransport(loopback(receiver.getLocalPort()))) {
            receiver.setSoTimeout((int) WAIT.toMillis());
            transport.send(messages("<14>1 - - - - - - one", "<14>1 - - - - - - zwei ü"));
            byte[] buffer = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            receiver.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("<14>1 - - - - - - one");
            receiver.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("<14>1 - - - - - - zwei ü");
        }
    }

    @Test
    void tcpFramesWithLfOrOctetCounts() throws Exception {
        for (Framing framing : Framing.values()) {
            try (SyslogReceiver receiver = new SyslogReceiver(framing);
                    StreamTransport transport =
                            new StreamTransport(loopback(receiver.start(0)), framing, Optional.empty())) {
                transport.send(messages("first ü", "second with spaces"));
                assertThat(receiver.await(2, WAIT)).as(framing.name()).containsExactly("first ü", "second with spaces");
            }
        }
        assertThat(Framing.OCTET_COUNTING.frame("ü".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("2 ü".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tlsChecksTheServerCertificateAndCountsOctets() throws Exception {
        TestCertificates certificates = TestCertificates.create(folder.resolve("pki"));
        try (SyslogReceiver receiver =
                new SyslogReceiver(Framing.OCTET_COUNTING, Optional.of(serverContext(certificates)))) {
            int port = receiver.start(0);
            try (StreamTransport trusting = new StreamTransport(
                    loopback(port), Framing.OCTET_COUNTING, Optional.of(certificates.trustingClientContext()))) {
                trusting.send(messages("over tls"));
                assertThat(receiver.await(1, WAIT)).containsExactly("over tls");
            }
            // a client that does not trust the receiver's CA refuses it instead of sending in the clear
            try (StreamTransport untrusting =
                    new StreamTransport(loopback(port), Framing.OCTET_COUNTING, Optional.of(SSLContext.getDefault()))) {
                assertThatThrownBy(() -> untrusting.send(messages("secret"))).isInstanceOf(SSLHandshakeException.class);
            }
            assertThat(receiver.messages()).containsExactly("over tls");
        }
    }

    @Test
    void aConnectionTheReceiverClosedIsOpenedAgain() throws Exception {
        try (SyslogReceiver receiver = new SyslogReceiver(Framing.LF)) {
            int port = receiver.start(0);
            try (StreamTransport transport = new StreamTransport(loopback(port), Framing.LF, Optional.empty())) {
                transport.send(messages("before"));
                receiver.await(1, WAIT);
                // an orderly close, as a collector being restarted does
                receiver.stop(false);
                receiver.start(port);
                transport.send(messages("after"));
                assertThat(receiver.await(2, WAIT)).containsExactly("before", "after");
            }
        }
    }

    @Test
    void tcpToAClosedPortFailsSoTheBatchIsRetried() throws Exception {
        int port = SyslogReceiver.freePort();
        try (StreamTransport transport = new StreamTransport(loopback(port), Framing.LF, Optional.empty())) {
            assertThatThrownBy(() -> transport.send(messages("lost?"))).isInstanceOf(IOException.class);
        }
    }

    static SSLContext serverContext(TestCertificates certificates) throws IOException, GeneralSecurityException {
        Certificate certificate;
        try (var in = Files.newInputStream(certificates.serverCertificate())) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String pem = Files.readString(certificates.serverKey());
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("server", key, password, new Certificate[] {certificate});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
