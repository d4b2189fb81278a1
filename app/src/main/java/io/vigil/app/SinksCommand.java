package io.vigil.app;

import io.vigil.app.workspace.Workspace;
import io.vigil.forward.HttpSinkSettings;
import io.vigil.forward.SinkConfig;
import io.vigil.forward.SinkType;
import io.vigil.forward.SinkTypes;
import io.vigil.forward.SinksFile;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.nio.file.Path;
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
                description = "syslog_cef, syslog_leef, syslog_json, webhook, splunk_hec, opensearch or elasticsearch"
                        + " (vigil sinks list --types)")
        String type;

        @Option(
                names = "--endpoint",
                required = true,
                paramLabel = "HOST:PORT|URL",
                description = "The receiver: HOST:PORT for syslog, an http(s):// URL for the HTTP sinks")
        String endpoint;

        @Option(
                names = "--secret-file",
                paramLabel = "FILE",
                description = "HTTP sinks: the webhook's HMAC key, the HEC token, or OpenSearch's user:password or"
                        + " API key (one line; the file's path is kept, never the secret)")
        Path secretFile;

        @Option(
                names = "--ca-file",
                paramLabel = "FILE",
                description = "https: PEM CA certificates trusted besides the JVM's")
        Path caFile;

        @Option(
                names = "--payload",
                defaultValue = "vigil",
                paramLabel = "vigil|azure_common_alert",
                description = "webhook body: the row, or Azure Monitor's common alert schema (alerts only)."
                        + " Default: ${DEFAULT-VALUE}")
        String payload;

        @Option(names = "--indexer-ack", description = "splunk_hec: wait for indexer acknowledgement")
        boolean indexerAck;

        @Option(
                names = "--batch-events",
                defaultValue = "500",
                paramLabel = "N",
                description = "splunk_hec, opensearch: most events a request. Default: ${DEFAULT-VALUE}")
        int batchEvents;

        @Option(
                names = "--max-attempts",
                defaultValue = "3",
                paramLabel = "N",
                description = "HTTP sinks: refusals of an event before it is dead-lettered. Default: ${DEFAULT-VALUE}")
        int maxAttempts;

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
                if (sink.http().isPresent()) {
                    sink = sink.withHttp(sink.http()
                            .get()
                            .withSecretFile(Optional.ofNullable(secretFile).map(Path::toAbsolutePath))
                            .withCaFile(Optional.ofNullable(caFile).map(Path::toAbsolutePath))
                            .withPayload(HttpSinkSettings.Payload.fromConfigName(payload))
                            .withIndexerAck(indexerAck)
                            .withBatchEvents(batchEvents)
                            .withMaxAttempts(maxAttempts));
                } else if (secretFile != null || caFile != null) {
                    throw new IllegalArgumentException(
                            "--secret-file and --ca-file are for the HTTP sinks, not " + type);
                }
                SinkTypes.check(sink);
            } catch (IllegalArgumentException e) {
                throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, e.getMessage());
            }
            List<SinkConfig> sinks = new ArrayList<>(SinksFile.load(data.dataDir));
            if (sinks.stream().anyMatch(existing -> existing.name().equals(name))) {
                throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, "a sink named " + name + " exists");
            }
            sinks.add(sink);
            SinksFile.save(data.dataDir, sinks);
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
            System.out.printf("%-16s %-13s %-36s %s%n", "NAME", "TYPE", "ENDPOINT", "ROUTE");
            for (SinkConfig sink : SinksFile.load(data.dataDir)) {
                System.out.printf(
                        "%-16s %-13s %-36s %s%n",
                        sink.name(),
                        sink.type(),
                        sink.endpointText(),
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
            if (!sinks.removeIf(sink -> sink.name().equals(name))) {
                System.err.println("vigil: no sink named " + name);
                return 1;
            }
            SinksFile.save(data.dataDir, sinks);
            System.out.println("removed sink " + name);
            return 0;
        }
    }
}
