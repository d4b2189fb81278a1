package io.vigil.app;

import io.vigil.app.http.ApiKeys;
import io.vigil.app.workspace.Workspace;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "API keys per principal (bearer tokens for the query API, the Logs Ingestion API, metrics)."
                + " A running server picks up changes within a second.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a key for a principal and print it (only this once; its SHA-256 is stored).")
    static final class Create implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Option(names = "--principal", required = true, paramLabel = "NAME", description = "Who the key is for")
        String principal;

        @Option(
                names = "--role",
                defaultValue = "reader",
                paramLabel = "ROLE",
                description = "reader (query, metrics, source health), responder, contributor (also send data"
                        + " through the Logs Ingestion API) or admin. Default: ${DEFAULT-VALUE}")
        String role;

        @Override
        public Integer call() throws Exception {
            ApiKeys.Role parsed = ApiKeys.Role.parse(role);
            String key = ApiKeys.create(Workspace.open(data.dataDir), principal, parsed, Clock.systemUTC());
            System.out.println(key);
            System.err.println("vigil: key for " + principal + " (" + parsed.label()
                    + ") created; send it as 'Authorization: Bearer <key>'. It is not shown again.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List principals, roles and creation times.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Override
        public Integer call() throws Exception {
            System.out.printf("%-24s %-12s %s%n", "PRINCIPAL", "ROLE", "CREATED");
            for (ApiKeys.Entry entry : ApiKeys.list(Workspace.open(data.dataDir))) {
                System.out.printf(
                        "%-24s %-12s %s%n",
                        entry.principal().name(),
                        entry.principal().role().label(),
                        entry.created().map(Object::toString).orElse("-"));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Remove a principal's key.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Parameters(paramLabel = "PRINCIPAL", description = "Whose key to remove")
        String principal;

        @Override
        public Integer call() throws Exception {
            if (!ApiKeys.revoke(Workspace.open(data.dataDir), principal)) {
                System.err.println("vigil: " + principal + " has no key");
                return 1;
            }
            System.out.println("revoked the key of " + principal);
            return 0;
        }
    }
}
