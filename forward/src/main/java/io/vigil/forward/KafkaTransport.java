package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Carries {@code {"records":[…]}} envelopes to Kafka or to Event Hubs' Kafka endpoint with an idempotent
 * producer ({@code enable.idempotence}, {@code acks=all}): {@link #send} returns only once the broker
 * acknowledged every envelope, so the forwarder advances its position after the broker's ack and never
 * before. A failed attempt throws, and the caller sends the whole list again: within one producer the broker
 * drops the producer's own retries, but a list sent again after a failure may repeat what already arrived
 * (at least once). After a failure the producer is replaced, since an idempotent producer that hit a fatal
 * error cannot send again.
 */
final class KafkaTransport implements AutoCloseable {
    /**
     * The largest envelope: Event Hubs' largest event on the Standard tier is 1 MB ("Azure Event Hubs quotas
     * and limits"), and Kafka's default {@code max.request.size} is 1 MiB; some room for the record's
     * framing and headers.
     */
    static final int MAX_ENVELOPE_BYTES = 1_000_000 - 4_096;

    /** One Kafka record: its topic, partition key and value. */
    record Envelope(String topic, String key, byte[] value) {
        Envelope {
            requireNonNull(topic, "topic is null");
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }
    }

    private final Properties properties;
    private KafkaProducer<String, byte[]> producer;
    private volatile boolean closed;

    KafkaTransport(SinkConfig config) {
        this.properties = properties(config, password(config));
    }

    /** The producer's settings; a missing or empty secret file is refused here, when the sink is built. */
    static Properties properties(SinkConfig config, Optional<String> password) {
        KafkaSettings kafka = config.kafka().orElseThrow(() -> new IllegalArgumentException("not a Kafka sink"));
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SinksFile.endpoint(config));
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-forward-" + config.name());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // bounded waits, so a broker that is down fails an attempt (retried by the forwarder, with its backoff)
        // instead of holding the sink's thread for the defaults' minutes
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(1_048_576));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        boolean tls = config.transport() == TransportKind.TLS;
        if (password.isPresent()) {
            // Event Hubs' Kafka endpoint: SASL/PLAIN over TLS, user "$ConnectionString", the connection string
            // as password ("Use Azure Event Hubs from Apache Kafka applications")
            properties.put("security.protocol", tls ? "SASL_SSL" : "SASL_PLAINTEXT");
            properties.put("sasl.mechanism", "PLAIN");
            properties.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                            + jaasQuoted(kafka.saslUsername()) + "\" password=\"" + jaasQuoted(password.get())
                            + "\";");
        } else {
            properties.put("security.protocol", tls ? "SSL" : "PLAINTEXT");
        }
        return properties;
    }

    static Optional<String> password(SinkConfig config) {
        KafkaSettings kafka = config.kafka().orElseThrow(() -> new IllegalArgumentException("not a Kafka sink"));
        if (kafka.secretFile().isEmpty()) {
            return Optional.empty();
        }
        String secret;
        try {
            secret = Files.readString(kafka.secretFile().get(), StandardCharsets.UTF_8)
                    .strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("sink " + config.name() + ": secret file "
                    + kafka.secretFile().get() + " is not readable");
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("sink " + config.name() + ": secret file "
                    + kafka.secretFile().get() + " is empty");
        }
        return Optional.of(secret);
    }

    /** JAAS quotes a value with double quotes; a quote or backslash inside is escaped with a backslash. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Sends the envelopes and waits for the broker's acknowledgement of each; throws when any was not acked. */
    void send(List<Envelope> envelopes) throws IOException {
        if (envelopes.isEmpty()) {
            return;
        }
        KafkaProducer<String, byte[]> current = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(envelopes.size());
        try {
            for (Envelope envelope : envelopes) {
                acks.add(current.send(new ProducerRecord<>(envelope.topic(), envelope.key(), envelope.value())));
            }
            current.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            discard(current);
            throw new IOException(describe(e.getCause()), e.getCause());
        } catch (KafkaException e) {
            discard(current);
            throw new IOException(describe(e), e);
        } catch (InterruptedException e) {
            discard(current);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker", e);
        }
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private synchronized KafkaProducer<String, byte[]> producer() throws IOException {
        if (closed) {
            throw new IOException("the sink is stopping");
        }
        if (producer == null) {
            producer = new KafkaProducer<>(properties);
        }
        return producer;
    }

    private synchronized void discard(KafkaProducer<String, byte[]> failed) {
        if (producer == failed) {
            producer = null;
        }
        failed.close(Duration.ZERO);
    }

    /** Stops: what is in flight is abandoned (its batch was not acknowledged, so it comes again). */
    @Override
    public void close() {
        KafkaProducer<String, byte[]> current;
        synchronized (this) {
            closed = true;
            current = producer;
            producer = null;
        }
        if (current != null) {
            current.close(Duration.ZERO);
        }
    }
}
