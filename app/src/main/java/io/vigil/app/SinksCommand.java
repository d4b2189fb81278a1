package io.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.audit.AuditTrail;
import io.vigil.app.workspace.Workspace;
import io.vigil.catalog.TableCatalog;
import io.vigil.forward.HttpSinkSettings;
import io.vigil.forward.KafkaSettings;
import io.vigil.forward.Route;
import io.vigil.forward.RouteFilter;
import io.vigil.forward.SinkConfig;
import io.vigil.forward.SinkType;
import io.vigil.forward.SinkTypes;
import io.vigil.forward.SinksFile;
import io.vigil.spi.AuditLog;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
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
                description = "syslog_cef, syslog_leef, syslog_json, eventhubs_kafka, webhook, splunk_hec, opensearch"
                        + " or elasticsearch (vigil sinks list --types)")
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
                description = "The secret, one line in a file (its path is kept, never the secret): the webhook's"
                        + " HMAC key, the HEC token, OpenSearch's user:password or API key; eventhubs_kafka: the"
                        + " SASL/PLAIN password (Event Hubs: the namespace's connection string, user"
                        + " $ConnectionString)")
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

        @ArgGroup(exclusive = false, multiplicity = "1..*")
        List<RouteOption> routes;

        @Option(
                names = "--topic",
                paramLabel = "TOPIC",
                description = "eventhubs_kafka: the one topic (event hub) for every record; default: Azure's hub"
                        + " per category (insights-logs-signinlogs, insights-activity-logs, …)")
        String topic;

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
            List<String> entries = new ArrayList<>();
            Map<String, String> filters = new LinkedHashMap<>();
            for (RouteOption route : routes) {
                entries.add(route.route);
                if (route.filter != null) {
                    filters.put(route.route, route.filter);
                }
            }
            try {
                sink = SinksFile.parse(name, type, endpoint, transport, framing, entries, filters, start);
                if (sink.http().isPresent()) {
                    if (topic != null) {
                        throw new IllegalArgumentException("--topic is for eventhubs_kafka sinks, not " + type);
                    }
                    sink = sink.withHttp(sink.http()
                            .get()
                            .withSecretFile(Optional.ofNullable(secretFile).map(Path::toAbsolutePath))
                            .withCaFile(Optional.ofNullable(caFile).map(Path::toAbsolutePath))
                            .withPayload(HttpSinkSettings.Payload.fromConfigName(payload))
                            .withIndexerAck(indexerAck)
                            .withBatchEvents(batchEvents)
                            .withMaxAttempts(maxAttempts));
                } else if (sink.kafka().isPresent()) {
                    if (caFile != null) {
                        throw new IllegalArgumentException("--ca-file is for the HTTP sinks, not " + type);
                    }
                    sink = withKafkaOptions(sink, topic, secretFile);
                } else if (secretFile != null || caFile != null || topic != null) {
                    throw new IllegalArgumentException("--secret-file and --ca-file are for the HTTP sinks"
                            + " (--secret-file and --topic also for eventhubs_kafka), not " + type);
                }
                SinkTypes.check(sink);
                checkFilters(sink.route());
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
            System.out.println("added sink " + name
                    + "; a running server picks it up within a second, a stopped one when it starts");
            return 0;
        }
    }

    /** {@code --topic} and {@code --secret-file}, which only a Kafka sink takes; the secret file must be readable. */
    static SinkConfig withKafkaOptions(SinkConfig sink, String topic, Path secretFile) {
        if (topic == null && secretFile == null) {
            return sink;
        }
        if (sink.kafka().isEmpty()) {
            throw new IllegalArgumentException("--topic and --secret-file are for eventhubs_kafka sinks");
        }
        KafkaSettings settings = sink.kafka().get();
        if (topic != null) {
            settings = settings.withTopic(topic);
        }
        if (secretFile != null) {
            Path absolute = secretFile.toAbsolutePath();
            if (!Files.isReadable(absolute)) {
                throw new IllegalArgumentException("secret file " + absolute + " is not readable");
            }
            settings = settings.withSecretFile(absolute);
        }
        return sink.withKafka(settings);
    }

    /** One {@code --route}, and the {@code --filter} that follows it, if any. */
    static final class RouteOption {
        @Option(
                names = "--route",
                required = true,
                paramLabel = "ROUTE",
                description = "alerts, incidents or table:TABLE; repeat for more")
        String route;

        @Option(
                names = "--filter",
                paramLabel = "KQL",
                description = "KQL run over each committed batch of the route before it is the sink's, e.g."
                        + " 'where ResultType != \"0\" | project TimeGenerated, UserPrincipalName'")
        String filter;
    }

    /**
     * Compiles the route's filters against the built-in tables now, so a bad one is refused here; a filter on
     * a custom table (not built in) is checked when the server starts, against the workspace's tables.
     */
    static void checkFilters(Route route) {
        TableCatalog catalog = TableCatalog.builtIn();
        List<TableSchema> builtIn = List.copyOf(catalog.tables());
        for (String table : route.filters().keySet()) {
            if (catalog.tableIgnoringCase(table).isEmpty()) {
                System.out.println("the filter of " + Route.entry(table)
                        + " is checked against the workspace's tables when the server starts");
                continue;
            }
            String entry = Route.entry(table);
            Route one = Route.parse(List.of(entry))
                    .withFilter(entry, route.filter(table).orElseThrow());
            RouteFilter.check(one, builtIn, Clock.systemUTC());
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the sinks of the data folder, or with --server a running server's sinks and their"
                    + " health (GET /v1/sinks), or the sink types.")
    static final class ListSinks implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Option(names = "--types", description = "List the sink types instead")
        boolean types;

        @Option(
                names = "--server",
                paramLabel = "URL",
                description = "Ask this running server for each sink's health, e.g. http://127.0.0.1:8080")
        URI server;

        @Option(
                names = "--key-file",
                paramLabel = "FILE",
                description = "File holding an API key for --server. Default: <data>/secrets/admin.key")
        Path keyFile;

        @Option(
                names = "--ca-cert",
                paramLabel = "PEM",
                description = "Trust this PEM certificate (or CA bundle) for an https --server")
        Path caCertificate;

        @Override
        public Integer call() throws Exception {
            if (types) {
                for (SinkType type : SinkTypes.BUILT_IN) {
                    System.out.printf("%-16s %s%n", type.name(), type.description());
                }
                return 0;
            }
            if (server != null) {
                String body = SourcesCommand.fetch(server, keyFile, data.dataDir, caCertificate, "/v1/sinks");
                System.out.print(healthTable(JSON.readTree(body)));
                return 0;
            }
            System.out.printf("%-16s %-16s %-36s %s%n", "NAME", "TYPE", "ENDPOINT", "ROUTE");
            for (SinkConfig sink : SinksFile.load(data.dataDir)) {
                List<String> routes = new ArrayList<>();
                for (String table : sink.route().tables().stream().sorted().toList()) {
                    String filtered = "";
                    if (sink.route().filter(table).isPresent()) {
                        filtered = " (filtered)";
                    }
                    routes.add(table + filtered);
                }
                System.out.printf(
                        "%-16s %-16s %-36s %s%n",
                        sink.name(), sink.type(), sink.endpointText(), String.join(",", routes));
            }
            return 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HEALTH_HEADER = List.of(
            "NAME",
            "TYPE",
            "ENDPOINT",
            "STATE",
            "SENT",
            "FAILED",
            "RETRIED",
            "DEAD-LETTERED",
            "LAG EVENTS",
            "LAG S",
            "LAST ERROR");

    /** {@code GET /v1/sinks} as an aligned text table, one line a sink. */
    static String healthTable(JsonNode body) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEALTH_HEADER);
        for (JsonNode sink : body.path("sinks")) {
            String lastError = "-";
            if (sink.path("lastError").isTextual()) {
                lastError = sink.path("lastError").asText().replace('\n', ' ');
            }
            rows.add(List.of(
                    sink.path("name").asText(),
                    sink.path("type").asText(),
                    sink.path("endpoint").asText(),
                    sink.path("state").asText(),
                    Long.toString(sink.path("sent").asLong()),
                    Long.toString(sink.path("failed").asLong()),
                    Long.toString(sink.path("retried").asLong()),
                    Long.toString(sink.path("deadLettered").asLong()),
                    Long.toString(sink.path("lagEvents").asLong()),
                    Long.toString(sink.path("lagSeconds").asLong()),
                    lastError));
        }
        return TextTable.render(rows);
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
