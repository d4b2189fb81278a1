package io.vigil.app;

import io.vigil.ingest.kafka.KafkaInputConfig;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The pull-input flags shared by {@code vigil server} and {@code vigil demo}: Kafka / Event Hubs, watched folders. */
final class FeedFlags {
    @Option(
            names = "--kafka-bootstrap",
            paramLabel = "HOST:PORT[,…]",
            description = "Consume Kafka (or Event Hubs' Kafka endpoint) from these bootstrap servers")
    String kafkaBootstrap;

    @Option(
            names = "--kafka-topic",
            paramLabel = "TOPIC",
            description = "Topic (event hub) carrying Azure diagnostic-settings exports; repeatable")
    List<String> kafkaTopics = new ArrayList<>();

    @Option(
            names = "--kafka-group",
            paramLabel = "GROUP",
            defaultValue = "vigil",
            description = "Consumer group (Event Hubs: consumer group of the event hub). Default: ${DEFAULT-VALUE}")
    String kafkaGroup;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "Kafka consumer property passed through, e.g. security.protocol=SASL_SSL; repeatable")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(
            names = "--event-hubs-connection-string-env",
            paramLabel = "VAR",
            description = "Environment variable holding an Event Hubs connection string: sets SASL_SSL/PLAIN with"
                    + " the $ConnectionString user and, without --kafka-bootstrap, the namespace's endpoint")
    String eventHubsConnectionStringEnv;

    @Option(
            names = "--watch",
            paramLabel = "DIR",
            description = "Folder (e.g. a synced blob container) whose new and growing files are imported as they"
                    + " are written, resuming after a restart; repeatable")
    List<Path> watch = new ArrayList<>();

    FeedOptions options() {
        return new FeedOptions(kafka(), watch);
    }

    private Optional<KafkaInputConfig> kafka() {
        TreeMap<String, String> properties = new TreeMap<>();
        String bootstrap = kafkaBootstrap;
        if (eventHubsConnectionStringEnv != null) {
            String connectionString = System.getenv(eventHubsConnectionStringEnv);
            if (connectionString == null || connectionString.isBlank()) {
                throw invalid("environment variable " + eventHubsConnectionStringEnv + " is not set");
            }
            properties.putAll(KafkaInputConfig.eventHubsProperties(connectionString));
            if (bootstrap == null) {
                bootstrap = KafkaInputConfig.eventHubsBootstrap(connectionString);
            }
        }
        for (String property : kafkaProperties) {
            int equals = property.indexOf('=');
            if (equals <= 0) {
                throw invalid("--kafka-property needs KEY=VALUE, was " + property);
            }
            properties.put(property.substring(0, equals).strip(), property.substring(equals + 1));
        }
        if (bootstrap == null) {
            if (!kafkaTopics.isEmpty() || !properties.isEmpty()) {
                throw invalid("--kafka-topic and --kafka-property need --kafka-bootstrap");
            }
            return Optional.empty();
        }
        return Optional.of(KafkaInputConfig.builder(bootstrap, kafkaTopics, kafkaGroup)
                .properties(properties)
                .build());
    }

    private static VigilException invalid(String message) {
        return new VigilException(StandardErrorCode.INVALID_CONFIGURATION, message);
    }
}
