package io.vigil.app;

import io.vigil.app.http.ApiKeys;
import io.vigil.app.ingestion.InstrumentationKeys;
import io.vigil.app.workspace.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "workspace",
        mixinStandardHelpOptions = true,
        description = "Workspace identity and the credentials senders need.",
        subcommands = {WorkspaceCommand.Show.class})
final class WorkspaceCommand {
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print the workspace id, the Data Collector shared key, the Application Insights"
                    + " connection string and where the admin API key is.")
    static final class Show implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Option(
                names = "--port",
                defaultValue = "8080",
                description = "The server's HTTP port, for the connection string. Default: ${DEFAULT-VALUE}")
        int port;

        @Option(
                names = "--host",
                defaultValue = "127.0.0.1",
                description = "The server's address as senders reach it. Default: ${DEFAULT-VALUE}")
        String host;

        @Override
        public Integer call() throws Exception {
            // reads only files (no store), so it also works while the server runs
            Workspace workspace = Workspace.open(data.dataDir);
            ApiKeys.load(workspace);
            InstrumentationKeys instrumentationKeys = InstrumentationKeys.loadOrCreate(workspace);
            Path adminKey = workspace.secretsDir().resolve("admin.key");
            System.out.println("workspace id:       " + workspace.workspaceId());
            System.out.println("shared key:         " + workspace.sharedKey());
            System.out.println(
                    "appinsights:        " + instrumentationKeys.connectionString("http://" + host + ":" + port + "/"));
            if (Files.exists(adminKey)) {
                System.out.println("admin API key file: " + adminKey);
            } else {
                System.out.println("admin API key file: " + adminKey + " (removed; the key's hash is in "
                        + workspace.secretsDir().resolve("keys.json") + ")");
            }
            return 0;
        }
    }
}
