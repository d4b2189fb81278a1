package io.vigil.app;

import io.vigil.app.audit.AuditTrail;
import io.vigil.app.workspace.Workspace;
import io.vigil.forward.SinkConfig;
import io.vigil.forward.SinkType;
import io.vigil.forward.SinkTypes;
import io.vigil.forward.SinksFile;
import io.vigil.spi.AuditLog;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "sinks",
        mixinStandardHelpOptions = true,
        description = "Forwarding to a SIEM (docs/forwarding.md): sinks and their routes, started with the server;"
                + " counters in /metrics (forward_*).",
        subcommands = {SinksCommand.Add.class, SinksCommand.ListSinks.class, SinksCommand.Remove.class})
final class SinksCommand {
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Add a sink; checked now, not at the first event.")
    static final class Add implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Lower-case name")
        String name;

        @Option(
                names = "--type",
                required = true,
                paramLabel = "TYPE",
                description = "syslog_cef, syslog_leef or syslog_json (vigil sinks list --types)")
        String type;

        @Option(names = "--endpoint", required = true, paramLabel = "HOST:PORT", description = "The receiver")
        String endpoint;

        @Option(
                names = "--transport",
                defaultValue = "tcp",
                paramLabel = "udp|tcp|tls",
                description = "Default: ${DEFAULT-VALUE}")
        String transport;

        @Option(
                names = "--framing",
                defaultValue = "lf",
                paramLabel = "lf|octet_counting",
                description = "TCP framing (TLS always counts octets). Default: ${DEFAULT-VALUE}")
        String framing;

        @Option(
                names = "--route",
                required = true,
                paramLabel = "ROUTE",
                description = "alerts, incidents or table:TABLE; repeat for more")
        List<String> routes;

        @Option(
                names = "--start",
                defaultValue = "latest",
                paramLabel = "latest|earliest",
                description = "Where a new sink starts: new rows only, or all still stored. Default: ${DEFAULT-VALUE}")
        String start;

        @Override
        public Integer call() throws Exception {
            Workspace.open(data.dataDir);
            SinkConfig sink;
            try {
                sink = SinksFile.parse(name, type, endpoint, transport, framing, routes, start);
            } catch (IllegalArgumentException e) {
                throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, e.getMessage());
            }
            List<SinkConfig> sinks = new ArrayList<>(SinksFile.load(data.dataDir));
            if (sinks.stream().anyMatch(existing -> existing.name().equals(name))) {
                throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, "a sink named " + name + " exists");
            }
            sinks.add(sink);
            SinksFile.save(data.dataDir, sinks);
            AuditTrail.of(data.dataDir)
                    .record(AuditLog.Actor.cli(), "sinks.add", name, Optional.empty(), sinkState(sink));
            System.out.println("added sink " + name + "; a server picks it up when it starts");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the sinks, or the sink types.")
    static final class ListSinks implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Option(names = "--types", description = "List the sink types instead")
        boolean types;

        @Override
        public Integer call() {
            if (types) {
                for (SinkType type : SinkTypes.BUILT_IN) {
                    System.out.printf("%-14s %s%n", type.name(), type.description());
                }
                return 0;
            }
            System.out.printf("%-16s %-12s %-28s %s%n", "NAME", "TYPE", "ENDPOINT", "ROUTE");
            for (SinkConfig sink : SinksFile.load(data.dataDir)) {
                System.out.printf(
                        "%-16s %-12s %-28s %s%n",
                        sink.name(),
                        sink.type(),
                        sink.transport().configName() + "://" + sink.host() + ":" + sink.port(),
                        String.join(",", sink.route().tables().stream().sorted().toList()));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a sink (its position is kept).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Parameters(paramLabel = "NAME", description = "The sink to remove")
        String name;

        @Override
        public Integer call() throws Exception {
            List<SinkConfig> sinks = new ArrayList<>(SinksFile.load(data.dataDir));
            Optional<SinkConfig> removed =
                    sinks.stream().filter(sink -> sink.name().equals(name)).findFirst();
            if (!sinks.removeIf(sink -> sink.name().equals(name))) {
                System.err.println("vigil: no sink named " + name);
                return 1;
            }
            SinksFile.save(data.dataDir, sinks);
            AuditTrail.of(data.dataDir)
                    .record(
                            AuditLog.Actor.cli(),
                            "sinks.remove",
                            name,
                            removed.flatMap(SinksCommand::sinkState),
                            Optional.empty());
            System.out.println("removed sink " + name);
            return 0;
        }
    }

    /** A sink as the audit trail records it (no secrets: sinks hold none yet). */
    private static Optional<String> sinkState(SinkConfig sink) {
        return AuditTrail.state(
                "type", sink.type(),
                "endpoint", sink.transport().configName() + "://" + sink.host() + ":" + sink.port(),
                "tables", sink.route().tables().stream().sorted().toList());
    }
}
