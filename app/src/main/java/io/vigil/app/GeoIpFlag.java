package io.vigil.app;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --geoip-db FILE} option: the MaxMind DB that KQL's geo_info_from_ip_address reads. */
final class GeoIpFlag {
    @Option(
            names = "--geoip-db",
            paramLabel = "FILE",
            description = "MaxMind DB file in the GeoLite2 / GeoIP2 City layout (.mmdb) for KQL's"
                    + " geo_info_from_ip_address. Without it the function returns an empty bag {}")
    Path file;

    /** The configured file; one that is not a readable file is a configuration error before anything opens. */
    Optional<Path> database() {
        if (file == null) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new VigilException(
                    StandardErrorCode.INVALID_CONFIGURATION, "--geoip-db " + file + " is not a readable file");
        }
        return Optional.of(file);
    }
}
