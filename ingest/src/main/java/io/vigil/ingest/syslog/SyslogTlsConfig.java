package io.vigil.ingest.syslog;

import static java.util.Objects.requireNonNull;

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
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server identity of the TLS listener (RFC 5425): a PKCS12 keystore holding a private key and its
 * certificate chain, and a file holding the keystore's password (its first line), so that the password
 * is in neither the command line nor the environment.
 */
public record SyslogTlsConfig(Path keystore, Path passwordFile) {
    public SyslogTlsConfig {
        requireNonNull(keystore, "keystore is null");
        requireNonNull(passwordFile, "passwordFile is null");
    }

    /** Loads the keystore and builds the server's TLS context; fails with INVALID_CONFIGURATION. */
    SSLContext serverContext() {
        char[] password = readPassword();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw invalid("keystore " + keystore + " holds no private key", null);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw invalid("cannot load the PKCS12 keystore " + keystore + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] readPassword() {
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
