package io.vigil.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option of the commands that run the server. {@link SettingsFile} reads the file
 * before picocli parses the command line, so this field only documents the option and names the file used.
 */
final class ConfigOption {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Settings file: YAML with one key per long flag of this command (e.g. 'syslog-tcp-port: 5514');"
                            + " flags given here win. Default: DIR/" + SettingsFile.DEFAULT_NAME
                            + " of --data when present")
    Path file;
}
