package io.vigil.ingest.syslog;

import static java.util.Objects.requireNonNull;

import io.vigil.ingest.tls.PemFiles;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The TLS listener's settings (RFC 5425): its server identity, and optionally the CA whose client
 * certificates it requires (mutual authentication, RFC 5425 §5.2's certificate-based peer authentication).
 *
 * @param identity the server's key and certificate chain
 * @param clientCa when present, PEM CA bundle: a client must present a certificate chain ending at one of
 *     these CAs, else the handshake fails; when empty, clients are not asked for a certificate
 */
public record SyslogTlsConfig(Identity identity, Optional<Path> clientCa) {
    public SyslogTlsConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(clientCa, "clientCa is null");
    }

    /** A keystore identity without client certificates. */
    public SyslogTlsConfig(Path keystore, Path passwordFile) {
        this(new Identity.Keystore(keystore, passwordFile), Optional.empty());
    }

    /** The same identity, requiring client certificates signed by a CA of {@code caFile}. */
    public SyslogTlsConfig requiringClientCertificates(Path caFile) {
        return new SyslogTlsConfig(identity, Optional.of(caFile));
    }

    /** Where the listener's key and certificate come from. */
    public sealed interface Identity {
        /**
         * A PKCS12 keystore holding a private key and its chain, and a file holding its password (first
         * line), so that the password is in neither the command line nor the environment.
         */
        record Keystore(Path keystore, Path passwordFile) implements Identity {
            public Keystore {
                requireNonNull(keystore, "keystore is null");
                requireNonNull(passwordFile, "passwordFile is null");
            }
        }

        /** A PEM certificate chain and its unencrypted PKCS#8 PEM key, as openssl and most CAs write them. */
        record Pem(Path certificate, Path key) implements Identity {
            public Pem {
                requireNonNull(certificate, "certificate is null");
                requireNonNull(key, "key is null");
            }
        }
    }

    /** Builds the server's TLS context; fails with INVALID_CONFIGURATION. */
    SSLContext serverContext() {
        TrustManager[] trust = null;
        if (clientCa.isPresent()) {
            trust = PemFiles.trustManagers(clientCa.get()).getTrustManagers();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            switch (identity) {
                case Identity.Keystore keystore -> context.init(keyManagers(keystore), trust, null);
                case Identity.Pem pem -> context.init(PemFiles.keyManagers(pem.certificate(), pem.key()), trust, null);
            }
            return context;
        } catch (GeneralSecurityException e) {
            throw invalid("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /** Whether the listener asks for, and requires, a client certificate. */
    boolean requiresClientCertificates() {
        return clientCa.isPresent();
    }

    private static KeyManager[] keyManagers(Identity.Keystore identity) {
        char[] password = readPassword(identity.passwordFile());
        try (InputStream in = Files.newInputStream(identity.keystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw invalid("keystore " + identity.keystore() + " holds no private key", null);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            return keys.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw invalid("cannot load the PKCS12 keystore " + identity.keystore() + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] readPassword(Path passwordFile) {
        try {
            String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            if (end < 0) {
                end = text.length();
            }
            if (end > 0 && text.charAt(end - 1) == '\r') {
                end--;
            }
            return text.substring(0, end).toCharArray();
        } catch (IOException e) {
            throw invalid("cannot read the keystore password file " + passwordFile, e);
        }
    }

    private static VigilException invalid(String message, Throwable cause) {
        return new VigilException(StandardErrorCode.INVALID_CONFIGURATION, "syslog TLS: " + message, cause);
    }
}
