package io.vigil.app;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The settings file of the commands with a {@code --config} option ({@code vigil server}, {@code vigil demo}):
 * a YAML mapping whose keys are the command's long flag names without the dashes, so that everything a flag
 * sets (listener ports, TLS files, limits, feeds) can live in one file and the file needs no documentation of
 * its own beyond {@code --help}:
 *
 * <pre>
 * port: 8443
 * syslog-tcp-port: 5514
 * kafka-topic: [insights-activity-logs, insights-logs-signinlogs]
 * </pre>
 *
 * <p>The file's settings become flags placed before the user's own, except those the user also gives on the
 * command line: a flag always replaces the file's value (a repeatable flag replaces the file's whole list).
 * Unknown keys, nested mappings and lists for single-valued flags are refused, naming the key, so a typo
 * never silently leaves a listener off.
 */
final class SettingsFile {
    static final String DEFAULT_NAME = "vigil.yaml";

    private static final String CONFIG = "--config";
    private static final String DATA = "--data";
    private static final Set<String> NOT_SETTINGS = Set.of(CONFIG, "--help", "--version");

    private SettingsFile() {}

    /**
     * The command line with the settings of its settings file in front of the user's flags, or {@code args}
     * unchanged when the command has no {@code --config} option, no file applies, or the arguments do not
     * parse (the real parse then reports that).
     */
    static String[] apply(String[] args) {
        ParseResult parsed;
        try {
            parsed = new CommandLine(new VigilMain()).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return args;
        }
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        CommandSpec command = parsed.commandSpec();
        if (command.findOption(CONFIG) == null || command.findOption(DATA) == null) {
            return args;
        }
        Path file;
        if (parsed.hasMatchedOption(CONFIG)) {
            file = parsed.matchedOptionValue(CONFIG, (Path) null);
            if (!Files.isRegularFile(file)) {
                throw invalid("the settings file " + file + " (--config) does not exist");
            }
        } else {
            Path dataDir = parsed.matchedOptionValue(
                    DATA, Path.of(command.findOption(DATA).defaultValue()));
            file = dataDir.resolve(DEFAULT_NAME);
            if (!Files.isRegularFile(file)) {
                return args;
            }
        }
        List<String> settings = settings(file, command, parsed);
        int commandAt = commandPosition(args, command.name());
        List<String> merged = new ArrayList<>(List.of(args).subList(0, commandAt + 1));
        merged.addAll(settings);
        merged.addAll(List.of(args).subList(commandAt + 1, args.length));
        return merged.toArray(String[]::new);
    }

    /** The file's settings as flags, leaving out those the command line gives itself. */
    static List<String> settings(Path file, CommandSpec command, ParseResult parsed) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setLabel(file.toString()).build())
                    .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw invalid("cannot read the settings file " + file + ": " + e.getMessage());
        } catch (YamlEngineException e) {
            throw invalid("the settings file " + file + " is not valid YAML: " + e.getMessage());
        }
        if (document == null) {
            return List.of();
        }
        if (!(document instanceof Map<?, ?> entries)) {
            throw invalid("the settings file " + file + " must be a YAML mapping of flag names to values");
        }
        List<String> flags = new ArrayList<>();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            String key = String.valueOf(entry.getKey());
            String name = "--" + key;
            OptionSpec option = command.findOption(name);
            if (option == null
                    || NOT_SETTINGS.contains(option.longestName())
                    || !option.longestName().equals(name)) {
                throw invalid(file + ": '" + key + "' is not a setting of vigil " + command.name()
                        + " (settings are its long flag names without '--'; see vigil " + command.name()
                        + " --help)");
            }
            if (parsed.hasMatchedOption(name)) {
                continue;
            }
            flags.addAll(flagsOf(file, option, key, entry.getValue()));
        }
        return flags;
    }

    private static List<String> flagsOf(Path file, OptionSpec option, String key, Object value) {
        if (value == null) {
            throw invalid(file + ": '" + key + "' has no value");
        }
        if (value instanceof Map<?, ?>) {
            throw invalid(file + ": '" + key + "' must be a value or a list, not a mapping");
        }
        List<String> flags = new ArrayList<>();
        if (value instanceof List<?> list) {
            if (!option.isMultiValue()) {
                throw invalid(file + ": '" + key + "' takes one value, not a list");
            }
            for (Object element : list) {
                if (element == null || element instanceof Map<?, ?> || element instanceof List<?>) {
                    throw invalid(file + ": the list of '" + key + "' must hold plain values");
                }
                flags.add(option.longestName());
                flags.add(String.valueOf(element));
            }
            return flags;
        }
        if (option.arity().max() == 0) {
            // a switch: 'name: true' turns it on; 'name: false' leaves it at its default (off)
            if (!(value instanceof Boolean on)) {
                throw invalid(file + ": '" + key + "' is a switch: give true or false");
            }
            if (on) {
                flags.add(option.longestName());
            }
            return flags;
        }
        flags.add(option.longestName());
        flags.add(String.valueOf(value));
        return flags;
    }

    private static int commandPosition(String[] args, String commandName) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(commandName)) {
                return i;
            }
        }
        throw new IllegalStateException("the parsed command " + commandName + " is not among the arguments");
    }

    private static VigilException invalid(String message) {
        return new VigilException(StandardErrorCode.INVALID_CONFIGURATION, message);
    }
}
