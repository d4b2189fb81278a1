package io.vigil.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option shared by commands that open a workspace. */
final class DataOption {
    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "vigil-data",
            description = "Workspace data folder (DuckDB store, secrets). Default: ${DEFAULT-VALUE}")
    Path dataDir;
}
