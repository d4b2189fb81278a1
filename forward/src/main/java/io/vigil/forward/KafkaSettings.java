package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of an {@code eventhubs_kafka} sink.
 *
 * @param topic the one topic (event hub) every record goes to; empty sends each table to Azure's own hub
 *     name for its category ({@link AzureRecordEncoder#defaultTopic})
 * @param secretFile a file holding the SASL/PLAIN password: for Event Hubs' Kafka endpoint the namespace's
 *     connection string, with {@code $ConnectionString} as the user name; empty connects without SASL
 * @param saslUsername the SASL/PLAIN user name
 */
public record KafkaSettings(Optional<String> topic, Optional<Path> secretFile, String saslUsername) {
    /** Event Hubs' Kafka endpoint takes the connection string as the password of this literal user. */
    public static final String EVENT_HUBS_USER = "$ConnectionString";

    public static final KafkaSettings DEFAULT = new KafkaSettings(Optional.empty(), Optional.empty(), EVENT_HUBS_USER);

    // Kafka's legal topic characters, at most 249 (Event Hubs allows fewer: 256 of letters, digits, . _ -)
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public KafkaSettings {
        requireNonNull(topic, "topic is null");
        requireNonNull(secretFile, "secretFile is null");
        requireNonNull(saslUsername, "saslUsername is null");
        if (topic.isPresent() && !TOPIC.matcher(topic.get()).matches()) {
            throw new IllegalArgumentException(
                    "topic '" + topic.get() + "' must be 1-249 letters, digits, '.', '_' or '-'");
        }
        if (saslUsername.isBlank()) {
            throw new IllegalArgumentException("the SASL user name is empty");
        }
    }

    public KafkaSettings withTopic(String topic) {
        return new KafkaSettings(Optional.of(topic), secretFile, saslUsername);
    }

    public KafkaSettings withSecretFile(Path secretFile) {
        return new KafkaSettings(topic, Optional.of(secretFile), saslUsername);
    }
}
