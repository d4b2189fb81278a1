package io.vigil.forward;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The TLS contexts sinks trust their receivers with. */
final class Tls {
    private Tls() {}

    static SSLContext jvmDefault() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /**
     * Trusts the JVM's CA certificates and, besides them, the PEM certificates of {@code caFile} (an
     * in-house CA): a receiver's chain is accepted if either trusts it.
     */
    static SSLContext trusting(Path caFile) {
        List<Certificate> certificates = certificates(caFile);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            X509TrustManager own = trustManager(store);
            X509TrustManager jvm = trustManager(null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new EitherTrustManager(jvm, own)}, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context from " + caFile, e);
        }
    }

    /** The PEM certificates of a CA file; an unreadable file or one without a certificate is refused. */
    static List<Certificate> certificates(Path caFile) {
        List<Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> read =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            certificates.addAll(read);
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("CA file " + caFile + " is not readable PEM: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("CA file " + caFile + " holds no certificate");
        }
        return certificates;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Accepts a server chain that the JVM's trust store or the sink's own CA file accepts. */
    private record EitherTrustManager(X509TrustManager jvm, X509TrustManager own) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a sink is a TLS client; it checks no client certificates");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                own.checkServerTrusted(chain, authType);
            } catch (CertificateException notOurs) {
                jvm.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> issuers = new ArrayList<>(List.of(jvm.getAcceptedIssuers()));
            issuers.addAll(List.of(own.getAcceptedIssuers()));
            return issuers.toArray(new X509Certificate[0]);
        }
    }
}
