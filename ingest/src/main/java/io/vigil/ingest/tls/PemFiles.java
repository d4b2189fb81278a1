package io.vigil.ingest.tls;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material from PEM files, the form openssl, certbot and most CAs hand out: a certificate chain, an
 * unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}) and CA bundles. Every failure is an
 * INVALID_CONFIGURATION naming the file, raised when the listener is configured.
 */
public final class PemFiles {
    // the in-memory keystore never leaves the process; the JDK's key managers need some password
    private static final char[] IN_MEMORY_PASSWORD = "vigil".toCharArray();
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {}

    /** Every certificate in a PEM file, in file order (leaf first for a chain). */
    public static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw invalid("no certificate in " + file, null);
            }
            return List.copyOf(certificates);
        } catch (IOException | GeneralSecurityException e) {
            throw invalid("cannot read the PEM certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The unencrypted PKCS#8 private key of a PEM file. */
    public static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw invalid("cannot read the private key " + file, e);
        }
        int begin = text.indexOf(KEY_BEGIN);
        int end = text.indexOf(KEY_END);
        if (begin < 0 || end < begin) {
            String hint = "";
            if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
                hint = " (this is a traditional PKCS#1/SEC1 key: convert it with"
                        + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8')";
            } else if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
                hint = " (it is encrypted: decrypt it with 'openssl pkcs8 -in KEY -out KEY.plain')";
            }
            throw invalid(file + " holds no unencrypted PKCS#8 private key" + hint, null);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + KEY_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw invalid("the private key in " + file + " is not valid base64", e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        // PKCS#8 names its algorithm inside the DER; trying the JDK's factories in turn avoids parsing it here
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // not this algorithm
            }
        }
        throw invalid("the private key in " + file + " is of no supported algorithm " + KEY_ALGORITHMS, null);
    }

    /** A TLS server context presenting the certificate chain of {@code certificateFile} with its key. */
    public static SSLContext serverContext(Path certificateFile, Path keyFile) {
        KeyManager[] keys = keyManagers(certificateFile, keyFile);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw invalid("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    /** Key managers presenting the certificate chain of {@code certificateFile} with its key. */
    public static KeyManager[] keyManagers(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, IN_MEMORY_PASSWORD);
            return keys.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            // e.g. a key that does not match the certificate's algorithm
            throw invalid(
                    "cannot use the key " + keyFile + " with the certificate " + certificateFile + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** A trust store holding every certificate of a PEM CA bundle. */
    public static KeyStore trustStore(Path caFile) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int index = 0;
            for (X509Certificate certificate : certificates(caFile)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw invalid("cannot build a trust store from " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Trust managers accepting exactly the chains that end at a CA of {@code caFile}. */
    public static TrustManagerFactory trustManagers(Path caFile) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore(caFile));
            return trust;
        } catch (GeneralSecurityException e) {
            throw invalid("cannot trust the CAs in " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static VigilException invalid(String message, Throwable cause) {
        return new VigilException(StandardErrorCode.INVALID_CONFIGURATION, "TLS: " + message, cause);
    }
}
