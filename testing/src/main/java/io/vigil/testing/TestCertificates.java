package io.vigil.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made by the real {@code openssl} in a test's folder: a CA, a server certificate for
 * {@code 127.0.0.1} and {@code localhost} signed by it, and a client certificate signed by it. Keys are
 * EC P-256 in unencrypted PKCS#8 PEM, the form openssl 3 writes by default.
 *
 * @param caCertificate the CA's certificate (PEM), what clients and servers trust
 * @param serverCertificate the server's certificate (PEM)
 * @param serverKey the server's private key (PEM)
 * @param clientCertificate a client certificate signed by the same CA (PEM)
 * @param clientKey the client's private key (PEM)
 */
public record TestCertificates(
        Path caCertificate,
        Path caKey,
        Path serverCertificate,
        Path serverKey,
        Path clientCertificate,
        Path clientKey) {
    private static final long OPENSSL_TIMEOUT_SECONDS = 60;

    public TestCertificates {
        requireNonNull(caCertificate, "caCertificate is null");
        requireNonNull(caKey, "caKey is null");
        requireNonNull(serverCertificate, "serverCertificate is null");
        requireNonNull(serverKey, "serverKey is null");
        requireNonNull(clientCertificate, "clientCertificate is null");
        requireNonNull(clientKey, "clientKey is null");
    }

    /** Makes the CA and both certificates in {@code folder} (created if missing). */
    public static TestCertificates create(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Path caCertificate = folder.resolve("ca.pem");
        Path caKey = folder.resolve("ca.key");
        openssl(
                folder,
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                caKey.toString(),
                "-out",
                caCertificate.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=Vigil Test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        Path serverCertificate = folder.resolve("server.pem");
        Path serverKey = folder.resolve("server.key");
        signed(
                folder,
                "server",
                "/CN=localhost",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
                caCertificate,
                caKey);
        Path clientCertificate = folder.resolve("client.pem");
        Path clientKey = folder.resolve("client.key");
        signed(folder, "client", "/CN=vigil-test-client", "extendedKeyUsage=clientAuth\n", caCertificate, caKey);
        return new TestCertificates(caCertificate, caKey, serverCertificate, serverKey, clientCertificate, clientKey);
    }

    /** A client TLS context trusting only the test CA (no client certificate). */
    public SSLContext trustingClientContext() throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        int index = 0;
        try (InputStream in = Files.newInputStream(caCertificate)) {
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void signed(
            Path folder, String name, String subject, String extensions, Path caCertificate, Path caKey)
            throws IOException, InterruptedException {
        Path key = folder.resolve(name + ".key");
        Path request = folder.resolve(name + ".csr");
        Path extensionFile = folder.resolve(name + ".ext");
        Files.writeString(extensionFile, extensions, StandardCharsets.US_ASCII);
        openssl(
                folder,
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                request.toString(),
                "-subj",
                subject);
        openssl(
                folder,
                "x509",
                "-req",
                "-in",
                request.toString(),
                "-CA",
                caCertificate.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-out",
                folder.resolve(name + ".pem").toString(),
                "-days",
                "2",
                "-extfile",
                extensionFile.toString());
    }

    private static void openssl(Path folder, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile(folder, "openssl", ".log");
        Process process = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl " + arguments[0] + " did not finish in " + OPENSSL_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", arguments) + " failed: " + Files.readString(log));
        }
    }
}
