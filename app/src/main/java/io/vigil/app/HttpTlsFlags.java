package io.vigil.app;

import io.vigil.ingest.tls.PemFiles;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/** HTTPS on the HTTP port, shared by {@code vigil server} and {@code vigil demo}. */
final class HttpTlsFlags {
    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "Serve every HTTP API over HTTPS with this PEM certificate (chain, leaf first)")
    Path certificate;

    @Option(
            names = "--tls-key",
            paramLabel = "PEM",
            description = "The unencrypted PKCS#8 PEM private key of --tls-cert (BEGIN PRIVATE KEY)")
    Path key;

    /** The server's TLS context, loaded now so that a bad file fails before the workspace opens. */
    Optional<SSLContext> context() {
        if (certificate == null && key == null) {
            return Optional.empty();
        }
        if (certificate == null || key == null) {
            throw new VigilException(StandardErrorCode.INVALID_CONFIGURATION, "--tls-cert and --tls-key go together");
        }
        return Optional.of(PemFiles.serverContext(certificate, key));
    }
}
