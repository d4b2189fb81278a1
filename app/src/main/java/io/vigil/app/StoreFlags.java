package io.vigil.app;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import io.vigil.store.DuckDbResources;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What the store's DuckDB database may use beside the JVM: its memory for all queries and writers together, and
 * where and how much it may spill to disk. DuckDB's own defaults let one query exhaust the machine.
 */
final class StoreFlags {
    @Option(
            names = "--store-memory-limit",
            paramLabel = "SIZE",
            description = "Memory DuckDB may use for all queries and writers together: 4GB, 512MiB or a share of"
                    + " the machine's memory such as 40%%. Default: 40%%")
    String memoryLimit;

    @Option(
            names = "--store-temp-dir",
            paramLabel = "DIR",
            description = "Where DuckDB spills what does not fit in its memory. Default: tmp in the data folder")
    Path tempDir;

    @Option(
            names = "--store-max-temp-size",
            paramLabel = "SIZE",
            description = "Disk DuckDB may spill to at most: 10GB, 512MiB. Default: 10GiB")
    String maxTempSize;

    /** The configured resources; a size that does not parse or is too small is refused before anything opens. */
    DuckDbResources resources() {
        DuckDbResources resources = DuckDbResources.defaults();
        if (memoryLimit != null) {
            long bytes = size("--store-memory-limit", memoryLimit);
            resources = checked(
                    "--store-memory-limit", () -> DuckDbResources.defaults().withMemoryLimit(bytes));
        }
        if (tempDir != null) {
            resources = resources.withTempDirectory(tempDir);
        }
        if (maxTempSize != null) {
            long bytes = size("--store-max-temp-size", maxTempSize);
            DuckDbResources base = resources;
            resources = checked("--store-max-temp-size", () -> base.withMaxTempBytes(bytes));
        }
        return resources;
    }

    private static long size(String flag, String text) {
        return checked(flag, () -> DuckDbResources.parseSize(text));
    }

    private static <T> T checked(String flag, java.util.function.Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new VigilException(StandardErrorCode.INVALID_CONFIGURATION, flag + ": " + e.getMessage());
        }
    }
}
