package io.vigil.ingest.kafka;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a Kafka (or Event Hubs) input consumes and how it connects.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param topics the topics (Event Hubs: event hubs) to consume
 * @param groupId the consumer group; its committed offsets and Vigil's offset ledger are kept per group
 * @param clientProperties further consumer properties passed through as they are (security
 *     protocol, SASL settings, timeouts); the ones Vigil must own for its delivery guarantee are refused
 * @param pollTimeout how long one poll waits for records, which also bounds how fast {@code close} is
 * @param maxPollRecords the most messages ingested (and committed) as one batch
 */
public record KafkaInputConfig(
        String bootstrapServers,
        List<String> topics,
        String groupId,
        SortedMap<String, String> clientProperties,
        Duration pollTimeout,
        int maxPollRecords) {
    /** Event Hubs' Kafka endpoint listens here on every namespace. */
    public static final int EVENT_HUBS_PORT = 9093;

    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    public static final int DEFAULT_MAX_POLL_RECORDS = 500;

    /** Properties the consumer sets itself: manual commits after the store committed, raw bytes. */
    private static final Set<String> OWNED_PROPERTIES = Set.of(
            "bootstrap.servers",
            "group.id",
            "enable.auto.commit",
            "key.deserializer",
            "value.deserializer",
            "max.poll.records");

    public KafkaInputConfig {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        topics = List.copyOf(topics);
        requireNonNull(groupId, "groupId is null");
        clientProperties = new TreeMap<>(clientProperties);
        requireNonNull(pollTimeout, "pollTimeout is null");
        if (bootstrapServers.isBlank()) {
            throw invalid("Kafka bootstrap servers are missing (--kafka-bootstrap host:port)");
        }
        if (topics.isEmpty() || topics.stream().anyMatch(String::isBlank)) {
            throw invalid("Kafka input needs at least one topic (--kafka-topic NAME)");
        }
        if (groupId.isBlank()) {
            throw invalid("Kafka consumer group is empty (--kafka-group NAME)");
        }
        for (String owned : OWNED_PROPERTIES) {
            if (clientProperties.containsKey(owned)) {
                throw invalid("Kafka property " + owned + " is set by Vigil and cannot be overridden");
            }
        }
        if (pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw invalid("Kafka poll timeout must be positive");
        }
        if (maxPollRecords <= 0) {
            throw invalid("Kafka max poll records must be positive");
        }
    }

    /** A plain-text input with default batching. */
    public static KafkaInputConfig of(String bootstrapServers, List<String> topics, String groupId) {
        return builder(bootstrapServers, topics, groupId).build();
    }

    /** A builder of a plain-text input with default batching; add security settings with {@link Builder#properties}. */
    public static Builder builder(String bootstrapServers, List<String> topics, String groupId) {
        return new Builder(bootstrapServers, topics, groupId);
    }

    /** A builder starting from this input. */
    public Builder toBuilder() {
        return new Builder(bootstrapServers, topics, groupId)
                .properties(clientProperties)
                .pollTimeout(pollTimeout)
                .maxPollRecords(maxPollRecords);
    }

    /** Sets the settings one by one; {@link #build} checks them together. */
    public static final class Builder {
        private final String bootstrapServers;
        private final List<String> topics;
        private final String groupId;
        private final SortedMap<String, String> clientProperties = new TreeMap<>();
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;

        private Builder(String bootstrapServers, List<String> topics, String groupId) {
            this.bootstrapServers = bootstrapServers;
            this.topics = topics;
            this.groupId = groupId;
        }

        /** Adds client properties, replacing ones of the same name. */
        public Builder properties(Map<String, String> more) {
            clientProperties.putAll(more);
            return this;
        }

        public Builder pollTimeout(Duration value) {
            pollTimeout = value;
            return this;
        }

        public Builder maxPollRecords(int value) {
            maxPollRecords = value;
            return this;
        }

        public KafkaInputConfig build() {
            return new KafkaInputConfig(
                    bootstrapServers, topics, groupId, clientProperties, pollTimeout, maxPollRecords);
        }
    }

    /**
     * The client settings of Event Hubs' Kafka endpoint: SASL_SSL with the PLAIN mechanism, the literal
     * user {@code $ConnectionString} and the namespace (or event hub) connection string as password
     * (Microsoft Learn, "Use Azure Event Hubs from Apache Kafka applications").
     */
    public static SortedMap<String, String> eventHubsProperties(String connectionString) {
        requireNonNull(connectionString, "connectionString is null");
        if (!connectionString.startsWith("Endpoint=sb://")) {
            throw invalid("an Event Hubs connection string starts with Endpoint=sb://");
        }
        TreeMap<String, String> properties = new TreeMap<>();
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", "PLAIN");
        properties.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$ConnectionString\""
                        + " password=\""
                        + connectionString.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        return properties;
    }

    /** {@code <namespace>.servicebus.windows.net:9093} from an {@code Endpoint=sb://…} connection string. */
    public static String eventHubsBootstrap(String connectionString) {
        requireNonNull(connectionString, "connectionString is null");
        String prefix = "Endpoint=sb://";
        if (!connectionString.startsWith(prefix)) {
            throw invalid("an Event Hubs connection string starts with Endpoint=sb://");
        }
        String rest = connectionString.substring(prefix.length());
        int end = rest.indexOf('/');
        if (end < 0) {
            end = rest.indexOf(';');
        }
        if (end <= 0) {
            throw invalid("the Event Hubs connection string has no namespace host");
        }
        return rest.substring(0, end) + ":" + EVENT_HUBS_PORT;
    }

    private static VigilException invalid(String message) {
        return new VigilException(StandardErrorCode.INVALID_CONFIGURATION, message);
    }
}
