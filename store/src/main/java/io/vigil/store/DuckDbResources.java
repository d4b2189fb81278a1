package io.vigil.store;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the store's DuckDB database may use besides the JVM: memory for all queries and writers together
 * ({@code memory_limit}; an operator over it spills to the temporary directory or fails with an out-of-memory
 * error instead of growing the process), and disk for that spilling ({@code temp_directory},
 * {@code max_temp_directory_size}). DuckDB's own defaults are 80% of the machine's memory, beside a JVM heap of
 * a quarter of it, and 90% of the free disk; these are set on purpose.
 *
 * @param memoryLimitBytes DuckDB's {@code memory_limit}
 * @param tempDirectory where DuckDB spills; empty: {@code tmp} in the data folder
 * @param maxTempBytes DuckDB's {@code max_temp_directory_size}
 */
public record DuckDbResources(long memoryLimitBytes, Optional<Path> tempDirectory, long maxTempBytes) {
    /** Below this DuckDB cannot run the catalog's queries at all. */
    static final long MIN_MEMORY_BYTES = 64L * 1024 * 1024;

    /** The share of the machine's memory DuckDB gets by default: the JVM heap takes a quarter, the OS the rest. */
    static final int DEFAULT_MEMORY_PERCENT = 40;

    static final long DEFAULT_MAX_TEMP_BYTES = 10L * 1024 * 1024 * 1024;

    private static final Pattern SIZE =
            Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib|%)?", Pattern.CASE_INSENSITIVE);

    public DuckDbResources {
        requireNonNull(tempDirectory, "tempDirectory is null");
        if (memoryLimitBytes < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("a DuckDB memory limit of " + memoryLimitBytes + " bytes: must be at"
                    + " least " + MIN_MEMORY_BYTES / (1024 * 1024) + " MiB");
        }
        if (maxTempBytes < 0) {
            throw new IllegalArgumentException("a temporary disk limit must not be negative, not " + maxTempBytes);
        }
    }

    /** 40% of the machine's (or container's) memory, spilling to the data folder up to 10 GiB. */
    public static DuckDbResources defaults() {
        return new DuckDbResources(
                Math.max(MIN_MEMORY_BYTES, totalMemoryBytes() / 100 * DEFAULT_MEMORY_PERCENT),
                Optional.empty(),
                DEFAULT_MAX_TEMP_BYTES);
    }

    public DuckDbResources withMemoryLimit(long bytes) {
        return new DuckDbResources(bytes, tempDirectory, maxTempBytes);
    }

    public DuckDbResources withTempDirectory(Path directory) {
        return new DuckDbResources(memoryLimitBytes, Optional.of(directory), maxTempBytes);
    }

    public DuckDbResources withMaxTempBytes(long bytes) {
        return new DuckDbResources(memoryLimitBytes, tempDirectory, bytes);
    }

    /**
     * A size as people write it: {@code 4GB}, {@code 512MiB}, {@code 1073741824}; KB, MB... are powers of 1024
     * as DuckDB reads them. With {@code %}, a share of the machine's memory.
     */
    public static long parseSize(String text) {
        Matcher matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a size: write a number with B, KB, MB, GB or TB (or KiB...), or a percentage");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = "b";
        if (matcher.group(2) != null) {
            unit = matcher.group(2).toLowerCase(Locale.ROOT);
        }
        return switch (unit) {
            case "%" -> {
                if (number < 1 || number > 100) {
                    throw new IllegalArgumentException("'" + text + "': a share of memory is 1% to 100%");
                }
                yield totalMemoryBytes() / 100 * number;
            }
            case "b" -> number;
            case "kb", "kib" -> Math.multiplyExact(number, 1024L);
            case "mb", "mib" -> Math.multiplyExact(number, 1024L * 1024);
            case "gb", "gib" -> Math.multiplyExact(number, 1024L * 1024 * 1024);
            case "tb", "tib" -> Math.multiplyExact(number, 1024L * 1024 * 1024 * 1024);
            default -> throw new IllegalStateException("unit " + unit);
        };
    }

    /** The machine's memory as the JVM sees it (a container's limit inside one). */
    static long totalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory() * 4;
    }
}
