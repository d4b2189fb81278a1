package io.vigil.app;

import io.vigil.app.audit.AuditTrail;
import io.vigil.app.http.ApiKeys;
import io.vigil.app.workspace.Workspace;
import io.vigil.spi.AuditLog;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "API keys per principal (bearer tokens for the query API, the Logs Ingestion API, metrics)."
                + " A running server picks up changes within a second.",
        subcommands = {
            KeysCommand.Create.class,
            KeysCommand.ListKeys.class,
            KeysCommand.Rotate.class,
            KeysCommand.Revoke.class
        })
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

        @Option(
                names = "--tables",
                split = ",",
                paramLabel = "TABLE",
                description = "The only tables its queries may read (table-level read grant), comma-separated;"
                        + " without it, every table")
        String[] tables;

        @Option(
                names = "--expires",
                paramLabel = "WHEN",
                description = "When the key stops working: an ISO-8601 instant (2027-01-31T00:00:00Z), a date"
                        + " (2027-01-31, midnight UTC), or a time from now (90d, 12h). Default: never")
        String expires;

        @Override
        public Integer call() throws Exception {
            ApiKeys.Role parsed = ApiKeys.Role.parse(role);
            Clock clock = Clock.systemUTC();
            Optional<Set<String>> grant = Optional.ofNullable(tables)
                    .map(names -> new TreeSet<>(Arrays.stream(names)
                            .map(String::strip)
                            .filter(name -> !name.isEmpty())
                            .toList()));
            Optional<Instant> expiry = Optional.ofNullable(expires).map(text -> expiry(text, clock));
            Workspace workspace = Workspace.open(data.dataDir);
            String key = ApiKeys.create(workspace, new ApiKeys.Principal(principal, parsed, grant), expiry, clock);
            audit(workspace, "keys.create", principal, Optional.empty(), ApiKeys.entry(workspace, principal));
            System.out.println(key);
            System.err.println("vigil: key for " + principal + " (" + parsed.label()
                    + grant.map(names -> "; tables " + String.join(",", names)).orElse("")
                    + expiry.map(when -> "; expires " + when).orElse("")
                    + ") created; send it as 'Authorization: Bearer <key>'. It is not shown again.");
            return 0;
        }
    }

    /** Records a key change in the audit trail: role, grant, creation and expiry, never the key or its hash. */
    private static void audit(
            Workspace workspace,
            String action,
            String principal,
            Optional<ApiKeys.Entry> before,
            Optional<ApiKeys.Entry> after) {
        AuditTrail.of(workspace.dataDir())
                .record(
                        AuditLog.Actor.cli(),
                        action,
                        principal,
                        before.flatMap(KeysCommand::state),
                        after.flatMap(KeysCommand::state));
    }

    private static Optional<String> state(ApiKeys.Entry entry) {
        return AuditTrail.state(
                "principal", entry.principal().name(),
                "role", entry.principal().role().label(),
                "tables", entry.principal().tables().map(List::copyOf),
                "created", entry.created(),
                "expires", entry.expires());
    }

    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([dh])");

    /** An expiry as the command line spells it: an instant, a date (midnight UTC) or days/hours from now. */
    static Instant expiry(String text, Clock clock) {
        Matcher relative = RELATIVE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration duration = relative.group(2).equals("d") ? Duration.ofDays(amount) : Duration.ofHours(amount);
            return clock.instant().plus(duration);
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text.strip())
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
            } catch (DateTimeParseException notADate) {
                throw new VigilException(
                        StandardErrorCode.INVALID_ARGUMENT,
                        "--expires takes an instant (2027-01-31T00:00:00Z), a date (2027-01-31) or 90d / 12h: " + text);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List principals, roles and creation times.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Override
        public Integer call() throws Exception {
            System.out.printf("%-24s %-12s %-28s %-28s %s%n", "PRINCIPAL", "ROLE", "CREATED", "EXPIRES", "TABLES");
            for (ApiKeys.Entry entry : ApiKeys.list(Workspace.open(data.dataDir))) {
                System.out.printf(
                        "%-24s %-12s %-28s %-28s %s%n",
                        entry.principal().name(),
                        entry.principal().role().label(),
                        entry.created().map(Object::toString).orElse("-"),
                        entry.expires().map(Object::toString).orElse("never"),
                        entry.principal()
                                .tables()
                                .map(names -> String.join(",", names))
                                .orElse("all"));
            }
            return 0;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Replace a principal's key by a new one (same role, tables and expiry) and print it;"
                    + " the old key stops working within a second.")
    static final class Rotate implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Parameters(paramLabel = "PRINCIPAL", description = "Whose key to replace")
        String principal;

        @Override
        public Integer call() throws Exception {
            Workspace workspace = Workspace.open(data.dataDir);
            Optional<ApiKeys.Entry> before = ApiKeys.entry(workspace, principal);
            Optional<String> key = ApiKeys.rotate(workspace, principal, Clock.systemUTC());
            if (key.isEmpty()) {
                System.err.println("vigil: " + principal + " has no key");
                return 1;
            }
            audit(workspace, "keys.rotate", principal, before, ApiKeys.entry(workspace, principal));
            System.out.println(key.get());
            System.err.println(
                    "vigil: new key for " + principal + "; the old one no longer works. It is not shown again.");
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
            Workspace workspace = Workspace.open(data.dataDir);
            Optional<ApiKeys.Entry> before = ApiKeys.entry(workspace, principal);
            if (!ApiKeys.revoke(workspace, principal)) {
                System.err.println("vigil: " + principal + " has no key");
                return 1;
            }
            audit(workspace, "keys.revoke", principal, before, Optional.empty());
            System.out.println("revoked the key of " + principal);
            return 0;
        }
    }
}
