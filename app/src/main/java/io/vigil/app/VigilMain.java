package io.vigil.app;

import io.vigil.spi.VigilException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line. */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        version = "vigil 0.1.0",
        description = "Self-hosted security logging and auditing: Azure Monitor Logs and Sentinel on one machine.",
        subcommands = {
            ServerCommand.class,
            DemoCommand.class,
            GenerateCommand.class,
            ImportCommand.class,
            TablesCommand.class,
            FormatsCommand.class,
            FunctionsCommand.class,
            BenchCommand.class,
            WorkspaceCommand.class,
            SinksCommand.class,
            KeysCommand.class,
            DcrCommand.class,
            QueryCommand.class,
            RulesCommand.class,
            IncidentsCommand.Alerts.class,
            IncidentsCommand.Incidents.class,
            SigmaCommand.class,
            SourcesCommand.class,
            VerifyCommand.class,
            ExportCommand.Export.class,
            ExportCommand.VerifyExport.class,
            CommandLine.HelpCommand.class
        })
public final class VigilMain {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new VigilMain());
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            if (exception instanceof VigilException vigil) {
                command.getErr().println("vigil: " + vigil.getMessage() + " [" + vigil.errorCode() + "]");
                return 2;
            }
            throw exception;
        });
        String[] effective;
        try {
            // the settings file becomes flags before picocli's real parse, so it is checked like flags are
            effective = SettingsFile.apply(args);
        } catch (VigilException e) {
            commandLine.getErr().println("vigil: " + e.getMessage() + " [" + e.errorCode() + "]");
            commandLine.getErr().flush();
            return 2;
        }
        return commandLine.execute(effective);
    }
}
