package io.vigil.ingest.kafka;

import static java.util.Objects.requireNonNull;

import io.vigil.ingest.IngestInput;
import io.vigil.ingest.IngestPipeline;
import io.vigil.ingest.kafka.KafkaOffsetLedger.PartitionKey;
import io.vigil.metrics.Metrics;
import io.vigil.spi.LogFormat;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes Kafka topics (or Event Hubs through its Kafka endpoint) carrying Azure diagnostic-settings
 * exports, one {@code {"records":[…]}} document or one plain record per message, and stores each
 * message through the {@link IngestPipeline}. A {@code {"records":[…]}} message goes to the {@code
 * azure_resource_log} format, which picks the table per record by its category: one message may mix
 * categories, and detection sees only the head of a message. Any other message is detected by content.
 *
 * <p>Delivery is at least once from Kafka and de-duplicated in Vigil: each poll's messages are
 * ingested, then (only after the store committed their rows and dead letters) the next offset of every
 * partition is written to the {@link KafkaOffsetLedger} in the workspace database, and only then are the
 * offsets committed to Kafka. A consumer that dies before its Kafka commit gets the messages again;
 * when the partition is assigned the consumer seeks past what the ledger says is stored, and messages
 * below the ledger's mark are skipped. The one window left is a crash between the store's commit and
 * the ledger's write (milliseconds): those messages are delivered again, and their records that carry ids
 * (sign-ins, audit events, activity-log events) are dropped by the store as repeats. A message that cannot
 * be parsed is dead-lettered by the pipeline and counts as stored, so a poison message never blocks a
 * partition. A poll that cannot be stored (the store overloaded or failing) or a failing broker does not
 * stop the consumer: the poll is rewound and retried with backoff, without storing twice what of it was
 * stored.
 */
public final class KafkaInput implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaInput.class.getName());

    /** The transport label of every metric and the pipeline's input name. */
    public static final String INPUT = "kafka";

    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private record MessageKey(PartitionKey partition, long offset) {}

    /** The format of diagnostic-settings exports, dispatching each record by its category. */
    static final String RECORDS_FORMAT = "azure_resource_log";

    private static final Pattern RECORDS_ENVELOPE = Pattern.compile("^\\s*\\{\\s*\"records\"\\s*:");

    private final KafkaInputConfig config;
    private final IngestPipeline pipeline;
    private final KafkaOffsetLedger ledger;
    private final Metrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final LogFormat recordsFormat;
    private final Thread thread;
    private final Map<PartitionKey, Long> storedUpTo = new ConcurrentHashMap<>();
    /** Messages stored from a poll that failed as a whole, until the retry's offsets are in the ledger. */
    private final Set<MessageKey> storedBeforeRetry = ConcurrentHashMap.newKeySet();

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong messagesStored = new AtomicLong();
    private volatile boolean running = true;
    private volatile Runnable beforeCommit = () -> {};

    private KafkaInput(KafkaInputConfig config, IngestPipeline pipeline, Clock clock, Metrics metrics) {
        this.config = config;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.ledger = new KafkaOffsetLedger(pipeline.store(), clock);
        this.recordsFormat = pipeline.formats()
                .byName(RECORDS_FORMAT)
                .orElseThrow(() -> new VigilException(
                        StandardErrorCode.INTERNAL_ERROR, "format " + RECORDS_FORMAT + " is not registered"));
        metrics.describe("kafka_consumer_lag", "Messages behind the end of each partition, at the last poll");
        metrics.describe("kafka_messages_skipped_total", "Redelivered messages skipped because they were stored");
        metrics.describe("kafka_commits_total", "Offset commits to Kafka after the store committed");
        metrics.describe(
                "kafka_retries_total", "Polls rewound and retried after a failure, per reason (overloaded, ...)");
        try {
            this.consumer = new KafkaConsumer<>(consumerProperties(config));
        } catch (KafkaException e) {
            throw new VigilException(
                    StandardErrorCode.INVALID_CONFIGURATION, "invalid Kafka settings: " + e.getMessage(), e);
        }
        this.thread = Thread.ofPlatform()
                .name("vigil-kafka-" + config.groupId())
                .daemon(false)
                .unstarted(this::run);
    }

    /** Builds the consumer (validating its settings) and starts consuming on a thread of its own. */
    public static KafkaInput start(KafkaInputConfig config, IngestPipeline pipeline, Clock clock, Metrics metrics) {
        requireNonNull(config, "config is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(metrics, "metrics is null");
        KafkaInput input = new KafkaInput(config, pipeline, clock, metrics);
        input.thread.start();
        return input;
    }

    static Properties consumerProperties(KafkaInputConfig config) {
        Properties properties = new Properties();
        // defaults an operator may override: Azure exports are read from the oldest retained event
        properties.put("auto.offset.reset", "earliest");
        properties.put("client.id", "vigil-" + config.groupId());
        properties.putAll(config.clientProperties());
        properties.put("bootstrap.servers", config.bootstrapServers());
        properties.put("group.id", config.groupId());
        properties.put("enable.auto.commit", "false");
        properties.put("max.poll.records", Integer.toString(config.maxPollRecords()));
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return properties;
    }

    public KafkaInputConfig config() {
        return config;
    }

    /** Messages stored (as rows or dead letters) by this consumer since it started. */
    public long messagesStored() {
        return messagesStored.get();
    }

    /**
     * Why the consumer stopped on its own, if it did: the store closed under it, or an error that is not
     * retried (a poll or store that fails is retried with backoff, counted in {@code kafka_retries_total}).
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Lets a test stop the consumer after the store committed and before Kafka's commit. */
    void beforeCommitForTesting(Runnable hook) {
        beforeCommit = requireNonNull(hook, "hook is null");
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        try {
            consumer.subscribe(config.topics(), new LedgerSeeker());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = ConsumerRecords.empty();
                try {
                    records = consumer.poll(config.pollTimeout());
                    if (!records.isEmpty()) {
                        storeAndCommit(records);
                    }
                    snapshotLag();
                    backoff = FIRST_BACKOFF;
                } catch (VigilException e) {
                    if (e.errorCode() == StandardErrorCode.INGEST_CLOSED) {
                        // the store is closing under the consumer: stop; what is not stored is redelivered
                        failure.set(e);
                        return;
                    }
                    backoff = retryLater(records, e, retryReason(e), backoff);
                } catch (KafkaException e) {
                    backoff = retryLater(records, e, "kafka_error", backoff);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.set(e);
        } catch (RuntimeException | Error e) {
            failure.set(e);
            LOG.log(
                    Level.SEVERE,
                    "Kafka consumer " + config.groupId() + " stopped; uncommitted messages are redelivered after"
                            + " a restart",
                    e);
        } finally {
            try {
                // auto-commit is off, so closing commits nothing that was not stored
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Kafka consumer " + config.groupId() + " did not close cleanly", e);
            }
        }
    }

    private static String retryReason(VigilException e) {
        if (e.errorCode() == StandardErrorCode.INGEST_OVERLOADED) {
            return "overloaded";
        }
        return "store_failure";
    }

    /**
     * After a poll that could not be stored (the store overloaded or failing, the broker unreachable): rewinds
     * every partition of the poll to its first message, so nothing is skipped, and waits before polling again.
     * Messages of the poll that were stored are remembered and not stored twice. Returns the next wait.
     */
    private Duration retryLater(
            ConsumerRecords<byte[], byte[]> records, RuntimeException cause, String reason, Duration backoff)
            throws InterruptedException {
        metrics.counter("kafka_retries_total", "input", INPUT, "reason", reason).increment();
        LOG.log(
                Level.WARNING,
                "Kafka consumer " + config.groupId() + ": " + reason + " (" + cause.getMessage() + "); retrying in "
                        + backoff);
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            firstOffsets.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        Set<TopicPartition> assigned = consumer.assignment();
        firstOffsets.forEach((partition, offset) -> {
            // a partition revoked meanwhile is redelivered to its new owner from the committed offset
            if (assigned.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
        long deadline = System.nanoTime() + backoff.toNanos();
        while (running && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
        Duration next = backoff.multipliedBy(2);
        if (next.compareTo(MAX_BACKOFF) > 0) {
            return MAX_BACKOFF;
        }
        return next;
    }

    private void storeAndCommit(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> fresh = new ArrayList<>();
        Map<PartitionKey, Long> nextOffsets = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            PartitionKey key = new PartitionKey(record.topic(), record.partition());
            Long stored = storedUpTo.get(key);
            if ((stored != null && record.offset() < stored)
                    || storedBeforeRetry.contains(new MessageKey(key, record.offset()))) {
                metrics.counter("kafka_messages_skipped_total", "input", INPUT, "topic", record.topic())
                        .increment();
            } else {
                fresh.add(record);
            }
            nextOffsets.merge(key, record.offset() + 1, Math::max);
            commit.put(
                    new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(nextOffsets.get(key)));
        }
        ingestAll(fresh);
        ledger.record(config.groupId(), nextOffsets);
        nextOffsets.forEach((key, next) -> storedUpTo.merge(key, next, Math::max));
        storedBeforeRetry.removeIf(message -> message.offset() < storedUpTo.getOrDefault(message.partition(), 0L));
        messagesStored.addAndGet(fresh.size());
        beforeCommit.run();
        consumer.commitSync(commit, COMMIT_TIMEOUT);
        metrics.counter("kafka_commits_total", "input", INPUT).increment();
    }

    /** Ingests a poll's messages concurrently, so their rows share the store's batches; waits for all. */
    private void ingestAll(List<ConsumerRecord<byte[], byte[]>> records) throws InterruptedException {
        if (records.isEmpty()) {
            return;
        }
        List<Future<?>> pending = new ArrayList<>(records.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                pending.add(executor.submit(() -> {
                    byte[] value = record.value();
                    if (value == null) {
                        // a tombstone or an empty event: stored as a dead letter like any unreadable input
                        value = new byte[0];
                    }
                    pipeline.ingest(new IngestInput(INPUT, record.topic()), source(record), value, formatFor(value));
                    // stored: if another message of the poll fails, the retry must not store this one again
                    storedBeforeRetry.add(
                            new MessageKey(new PartitionKey(record.topic(), record.partition()), record.offset()));
                    return null;
                }));
            }
            RuntimeException firstFailure = null;
            for (Future<?> future : pending) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (firstFailure == null) {
                        firstFailure = asRuntime(e.getCause());
                    }
                }
            }
            if (firstFailure != null) {
                throw firstFailure;
            }
        }
    }

    private Optional<LogFormat> formatFor(byte[] value) {
        String head = new String(value, 0, Math.min(value.length, 64), StandardCharsets.UTF_8);
        if (RECORDS_ENVELOPE.matcher(head).find()) {
            return Optional.of(recordsFormat);
        }
        return Optional.empty();
    }

    private static RuntimeException asRuntime(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new VigilException(StandardErrorCode.STORE_FAILURE, "Kafka message could not be stored", cause);
    }

    /** Where a dead letter came from, down to the message: {@code kafka:topic/partition@offset}. */
    static String source(ConsumerRecord<?, ?> record) {
        return INPUT + ":" + record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    private void snapshotLag() {
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isPresent()) {
                metrics.gauge(
                                "kafka_consumer_lag",
                                "group",
                                config.groupId(),
                                "topic",
                                partition.topic(),
                                "partition",
                                Integer.toString(partition.partition()))
                        .set(lag.getAsLong());
            }
        }
    }

    /** On assignment, skips what the ledger says is stored: the Kafka commit may lag behind the store. */
    private final class LedgerSeeker implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                OptionalLong stored = ledger.nextOffset(config.groupId(), partition.topic(), partition.partition());
                if (stored.isEmpty()) {
                    continue;
                }
                storedUpTo.merge(
                        new PartitionKey(partition.topic(), partition.partition()), stored.getAsLong(), Math::max);
                if (consumer.position(partition) < stored.getAsLong()) {
                    LOG.info("Kafka " + partition + ": resuming at stored offset " + stored.getAsLong());
                    consumer.seek(partition, stored.getAsLong());
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // every poll's offsets are committed before the next poll, so nothing is pending here
        }
    }

    /** Stops polling (within one poll timeout), lets the current batch commit, and closes the consumer. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(config.pollTimeout().plus(COMMIT_TIMEOUT).plus(CLOSE_TIMEOUT));
    }
}
