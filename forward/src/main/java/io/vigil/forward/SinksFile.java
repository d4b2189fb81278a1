package io.vigil.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configured sinks of a workspace, {@code sinks.json} in its data folder, written by {@code vigil sinks}
 * and read when the server starts. Every entry is checked as a {@link SinkConfig} when read, so a bad one
 * stops the start with its name instead of failing at the first event.
 */
public final class SinksFile {
    public static final String NAME = "sinks.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SinksFile() {}

    public static List<SinkConfig> load(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        JsonNode document;
        try {
            document = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw invalid(file + " is not readable JSON: " + e.getMessage());
        }
        List<SinkConfig> sinks = new ArrayList<>();
        for (JsonNode entry : document.path("sinks")) {
            String name = entry.path("name").asText("");
            try {
                sinks.add(parse(entry));
            } catch (IllegalArgumentException e) {
                throw invalid(file + ": sink '" + name + "': " + e.getMessage());
            }
        }
        return List.copyOf(sinks);
    }

    /** One sink from its settings; what {@code vigil sinks add} and the file share. */
    public static SinkConfig parse(
            String name,
            String type,
            String endpoint,
            String transport,
            String framing,
            List<String> routes,
            String start) {
        return parse(name, type, endpoint, transport, framing, routes, Map.of(), start);
    }

    /** As above, with KQL filters by route entry ({@code table:SigninLogs} → {@code where …}). */
    public static SinkConfig parse(
            String name,
            String type,
            String endpoint,
            String transport,
            String framing,
            List<String> routes,
            Map<String, String> filters,
            String start) {
        Route route = Route.parse(routes);
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            route = route.withFilter(filter.getKey(), filter.getValue());
        }
        SinkConfig sink = SinkConfig.of(name, type, endpoint, route)
                .withStart(SubscriptionStart.valueOf(start.toUpperCase(Locale.ROOT)));
        if (sink.http().isPresent()) {
            // an HTTP sink's transport is its URL's scheme
            return sink;
        }
        TransportKind kind = TransportKind.fromConfigName(transport);
        Framing parsedFraming = Framing.fromConfigName(framing);
        if (kind == TransportKind.TLS) {
            parsedFraming = Framing.OCTET_COUNTING;
        }
        return sink.withTransport(kind, parsedFraming);
    }

    private static SinkConfig parse(JsonNode entry) {
        List<String> routes = new ArrayList<>();
        Map<String, String> filters = new LinkedHashMap<>();
        // a route is its entry, or {"route": entry, "filter": KQL}
        entry.path("routes").forEach(route -> {
            if (route.isObject()) {
                String name = route.path("route").asText("");
                routes.add(name);
                if (route.hasNonNull("filter")) {
                    filters.put(name, route.path("filter").asText());
                }
            } else {
                routes.add(route.asText());
            }
        });
        SinkConfig sink = parse(
                entry.path("name").asText(""),
                entry.path("type").asText(""),
                entry.path("endpoint").asText(""),
                entry.path("transport").asText("tcp"),
                entry.path("framing").asText("lf"),
                routes,
                filters,
                entry.path("start").asText("latest"));
        JsonNode kafka = entry.path("kafka");
        if (!kafka.isMissingNode()) {
            if (sink.kafka().isEmpty()) {
                throw new IllegalArgumentException("\"kafka\" settings are for eventhubs_kafka sinks only");
            }
            KafkaSettings settings = sink.kafka().get();
            if (kafka.hasNonNull("topic")) {
                settings = settings.withTopic(kafka.path("topic").asText());
            }
            if (kafka.hasNonNull("secretFile")) {
                settings =
                        settings.withSecretFile(Path.of(kafka.path("secretFile").asText()));
            }
            if (kafka.hasNonNull("saslUsername")) {
                settings = new KafkaSettings(
                        settings.topic(),
                        settings.secretFile(),
                        kafka.path("saslUsername").asText());
            }
            sink = sink.withKafka(settings);
        }
        if (sink.http().isPresent()) {
            HttpSinkSettings http = sink.http()
                    .get()
                    .withSecretFile(path(entry, "secretFile"))
                    .withCaFile(path(entry, "caFile"))
                    .withPayload(HttpSinkSettings.Payload.fromConfigName(
                            entry.path("payload").asText(HttpSinkSettings.Payload.VIGIL.configName())))
                    .withIndexerAck(entry.path("indexerAck").asBoolean(false))
                    .withBatchEvents(entry.path("batchEvents").asInt(HttpSinkSettings.DEFAULT_BATCH_EVENTS))
                    .withMaxAttempts(entry.path("maxAttempts").asInt(HttpSinkSettings.DEFAULT_MAX_ATTEMPTS));
            sink = sink.withHttp(http);
        }
        return SinkTypes.check(sink);
    }

    private static Optional<Path> path(JsonNode entry, String field) {
        String text = entry.path(field).asText("");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(text));
    }

    /** Writes the sinks, replacing the file atomically so a running reader never sees half of it. */
    public static void save(Path dataDir, List<SinkConfig> sinks) throws IOException {
        ObjectNode document = JSON.createObjectNode();
        ArrayNode list = document.putArray("sinks");
        for (SinkConfig sink : sinks) {
            ObjectNode entry = list.addObject();
            entry.put("name", sink.name());
            entry.put("type", sink.type());
            entry.put("endpoint", endpoint(sink));
            entry.put("transport", sink.transport().configName());
            entry.put("framing", sink.framing().configName());
            ArrayNode routes = entry.putArray("routes");
            for (String table : sink.route().tables().stream().sorted().toList()) {
                Optional<String> filter = sink.route().filter(table);
                if (filter.isPresent()) {
                    routes.addObject().put("route", Route.entry(table)).put("filter", filter.get());
                } else {
                    routes.add(Route.entry(table));
                }
            }
            entry.put("start", sink.start().name().toLowerCase(Locale.ROOT));
            sink.http().ifPresent(http -> {
                entry.put("endpoint", http.url().toString());
                entry.remove("transport");
                entry.remove("framing");
                http.secretFile().ifPresent(file -> entry.put("secretFile", file.toString()));
                http.caFile().ifPresent(file -> entry.put("caFile", file.toString()));
                entry.put("payload", http.payload().configName());
                entry.put("indexerAck", http.indexerAck());
                entry.put("batchEvents", http.batchEvents());
                entry.put("maxAttempts", http.maxAttempts());
            });
            if (sink.kafka().isPresent()) {
                KafkaSettings settings = sink.kafka().get();
                ObjectNode kafka = entry.putObject("kafka");
                settings.topic().ifPresent(topic -> kafka.put("topic", topic));
                // the file's name only: the secret itself never enters sinks.json
                settings.secretFile().ifPresent(file -> kafka.put("secretFile", file.toString()));
                kafka.put("saslUsername", settings.saslUsername());
            }
        }
        Path file = dataDir.resolve(NAME);
        Path temporary = dataDir.resolve(NAME + ".tmp");
        Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n");
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String endpoint(SinkConfig sink) {
        if (sink.host().contains(":")) {
            return "[" + sink.host() + "]:" + sink.port();
        }
        return sink.host() + ":" + sink.port();
    }

    private static VigilException invalid(String message) {
        return new VigilException(StandardErrorCode.INVALID_CONFIGURATION, message);
    }
}
