package io.vigil.ingest.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.LogFormats;
import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.store.StoreWriterGate;
import io.vigil.store.WriterConfig;
import io.vigil.testing.RowCounts;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real in-process KRaft broker on loopback, with a real producer. */
class KafkaInputTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KafkaClusterTestKit cluster;
    private static Admin admin;
    private static KafkaProducer<String, byte[]> producer;

    @TempDir
    Path temp;

    @BeforeAll
    static void startBroker() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        // without these a one-node cluster never gets a group coordinator (ENVIRONMENT.md)
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        admin = cluster.admin();
        Properties properties = new Properties();
        properties.put("bootstrap.servers", cluster.bootstrapServers());
        properties.put("acks", "all");
        properties.put("key.serializer", StringSerializer.class.getName());
        properties.put("value.serializer", ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(properties);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        cluster.close();
    }

    @Test
    void storesActivityAndSignInExportsAndCommitsAfterTheStore() throws Exception {
        createTopic("insights-activity", 1);
        send("insights-activity", "a", envelope(activity(1), activity(2)));
        send("insights-activity", "b", envelope(signIn(1)));
        // one message may mix categories; each record goes to its own table
        send("insights-activity", "c", envelope(signIn(2), activity(3)));
        Metrics metrics = new Metrics();
        try (DuckDbStore store = openStore(metrics);
                KafkaInput input = KafkaInput.start(
                        config("insights-activity", "vigil-basic"), pipeline(store, metrics), clock(), metrics)) {
            awaitCommitted("vigil-basic", 3);

            assertThat(count(store, "SELECT count(*) FROM AzureActivity")).isEqualTo(3);
            assertThat(count(store, "SELECT count(*) FROM SigninLogs WHERE UserPrincipalName = 'user1@contoso.com'"))
                    .isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM SigninLogs")).isEqualTo(2);
            assertThat(count(store, "SELECT count(*) FROM VigilDeadLetter")).isZero();
            assertThat(input.messagesStored()).isEqualTo(3);
            assertThat(input.failure()).isEmpty();
            assertThat(metrics.renderPrometheus())
                    .contains(
                            "events_received_total{input=\"kafka\",source=\"insights-activity\",format=\"azure_resource_log\"} 5")
                    .contains(
                            "kafka_consumer_lag{group=\"vigil-basic\",topic=\"insights-activity\",partition=\"0\"} 0");
        }
    }

    @Test
    void consumerKilledBeforeItsCommitLosesNothingAndStoresNothingTwice() throws Exception {
        createTopic("restart", 2);
        for (int i = 0; i < 6; i++) {
            send("restart", "key" + i, envelope(activity(2 * i), activity(2 * i + 1)));
        }
        Metrics metrics = new Metrics();
        try (DuckDbStore store = openStore(metrics)) {
            IngestPipeline pipeline = pipeline(store, metrics);
            KafkaInputConfig config = new KafkaInputConfig(
                    cluster.bootstrapServers(),
                    List.of("restart"),
                    "vigil-restart",
                    new TreeMap<>(),
                    Duration.ofMillis(100),
                    2);
            KafkaInput first = KafkaInput.start(config, pipeline, clock(), metrics);
            AtomicInteger commits = new AtomicInteger();
            first.beforeCommitForTesting(() -> {
                if (commits.incrementAndGet() == 2) {
                    throw new IllegalStateException("simulated crash between the store's commit and Kafka's");
                }
            });
            await(() -> !first.isRunning(), "the first consumer to crash");
            first.close();
            assertThat(first.failure()).get().asString().contains("simulated crash");
            long storedByFirst = first.messagesStored();
            assertThat(committed("vigil-restart")).isLessThan(storedByFirst);

            for (int i = 6; i < 10; i++) {
                send("restart", "key" + i, envelope(activity(2 * i), activity(2 * i + 1)));
            }
            try (KafkaInput second = KafkaInput.start(config, pipeline, clock(), metrics)) {
                awaitCommitted("vigil-restart", 10);
                assertThat(second.messagesStored()).isEqualTo(10 - storedByFirst);
            }
            assertThat(count(store, "SELECT count(*) FROM AzureActivity")).isEqualTo(20);
            assertThat(count(store, "SELECT count(DISTINCT CorrelationId) FROM AzureActivity"))
                    .isEqualTo(20);
        }
    }

    /**
     * The store's queue is full (its writers held) for longer than a writer accepts waiting: the consumer is
     * refused with INGEST_OVERLOADED, rewinds, backs off and retries, and once the store drains every message
     * is stored exactly once, including those of the refused poll that made it in before the refusal.
     */
    @Test
    void anOverloadedStoreIsRetriedWithoutLossOrRepeats() throws Exception {
        createTopic("overload", 1);
        for (int i = 0; i < 8; i++) {
            send("overload", "key" + i, envelope(activity(100 + 2 * i), activity(101 + 2 * i)));
        }
        Metrics metrics = new Metrics();
        StoreOptions tiny = StoreOptions.builder()
                .writer(new WriterConfig(2, Duration.ofMillis(1), 4, Duration.ofMillis(200)))
                .retention(StoreOptions.DEFAULT.retention())
                .build();
        try (DuckDbStore store = DuckDbStore.open(temp.resolve("data"), tiny, clock(), metrics)) {
            StoreWriterGate gate = StoreWriterGate.hold(store);
            try (KafkaInput input = KafkaInput.start(
                    config("overload", "vigil-overload"), pipeline(store, metrics), clock(), metrics)) {
                // the poll's messages are ingested at once: two fill the queue, the others wait 200 ms and are
                // refused; the poll as a whole fails only when the queued two commit, after the release
                await(() -> store.queuedRows() == 4, "the store's queue to fill");
                Thread.sleep(600);
                gate.release();
                awaitCommitted("vigil-overload", 8);
                assertThat(metrics.value("kafka_retries_total", "input", "kafka", "reason", "overloaded"))
                        .isPositive();
                assertThat(metrics.value("kafka_messages_skipped_total", "input", "kafka", "topic", "overload"))
                        .isPositive();
                assertThat(input.isRunning()).isTrue();
                assertThat(input.failure()).isEmpty();
            }
            assertThat(count(store, "SELECT count(*) FROM AzureActivity")).isEqualTo(16);
            assertThat(count(store, "SELECT count(DISTINCT CorrelationId) FROM AzureActivity"))
                    .isEqualTo(16);
            assertThat(count(store, "SELECT count(*) FROM VigilDeadLetter")).isZero();
        }
    }

    @Test
    void poisonMessageIsDeadLetteredAndTheConsumerMovesOn() throws Exception {
        createTopic("poison", 1);
        send("poison", "a", envelope(signIn(7)));
        send("poison", "b", "{\"records\":[{\"time\": oops".getBytes(UTF_8));
        // a plain record without the envelope, as some exporters send one event per message
        send("poison", "c", activity(9).getBytes(UTF_8));
        Metrics metrics = new Metrics();
        try (DuckDbStore store = openStore(metrics);
                KafkaInput input = KafkaInput.start(
                        config("poison", "vigil-poison"), pipeline(store, metrics), clock(), metrics)) {
            awaitCommitted("vigil-poison", 3);

            assertThat(input.isRunning()).isTrue();
            assertThat(count(store, "SELECT count(*) FROM SigninLogs")).isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM AzureActivity")).isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM VigilDeadLetter WHERE Source = 'kafka:poison/0@1'"))
                    .isEqualTo(1);
        }
    }

    private KafkaInputConfig config(String topic, String group) {
        return KafkaInputConfig.builder(cluster.bootstrapServers(), List.of(topic), group)
                .pollTimeout(Duration.ofMillis(100))
                .build();
    }

    private DuckDbStore openStore(Metrics metrics) {
        return DuckDbStore.open(temp.resolve("data"), StoreOptions.DEFAULT, clock(), metrics);
    }

    private static IngestPipeline pipeline(DuckDbStore store, Metrics metrics) {
        return new IngestPipeline(store, LogFormats.builtIn(), clock(), metrics);
    }

    private static TestingClock clock() {
        return new TestingClock(NOW);
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get();
    }

    private static void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Offsets the group committed to Kafka, summed over its partitions. */
    private static long committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        long sum = 0;
        for (OffsetAndMetadata offset : offsets.values()) {
            if (offset != null) {
                sum += offset.offset();
            }
        }
        return sum;
    }

    private static void awaitCommitted(String group, long messages) {
        await(
                () -> {
                    try {
                        return committed(group) == messages;
                    } catch (Exception e) {
                        return false;
                    }
                },
                group + " to commit " + messages + " messages");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static long count(DuckDbStore store, String sql) throws Exception {
        try (Connection connection = store.newQueryConnection()) {
            return RowCounts.count(connection, sql);
        }
    }

    static byte[] envelope(String... records) {
        return ("{\"records\":[" + String.join(",", records) + "]}").getBytes(UTF_8);
    }

    /** An Activity-log record as diagnostic settings export it, with a correlation id per number. */
    static String activity(int number) {
        return "{\"time\":\"2026-11-25T10:17:34.3210000Z\",\"resourceId\":\"/SUBSCRIPTIONS/11111111-1111-1111-1111-"
                + "111111111111/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM" + number
                + "\",\"operationName\":\"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE\",\"category\":\"Administrative\","
                + "\"resultType\":\"Success\",\"resultSignature\":\"Succeeded.Created\",\"callerIpAddress\":"
                + "\"198.51.100.7\",\"correlationId\":\"" + String.format("9d2c7e6a-1b3f-4c5d-8e9f-%012d", number)
                + "\",\"identity\":{\"claims\":{\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn\":"
                + "\"admin@contoso.com\"}},\"level\":\"Information\",\"properties\":{\"statusCode\":\"Created\"}}";
    }

    /** An Entra ID sign-in record as diagnostic settings export it. */
    static String signIn(int number) {
        String id = String.format("5c5c5c5c-0000-4000-8000-%012d", number);
        return "{\"time\":\"2026-11-25T09:58:12.0000000Z\",\"resourceId\":\"/tenants/22222222-2222-2222-2222-"
                + "222222222222/providers/Microsoft.aadiam\",\"operationName\":\"Sign-in activity\","
                + "\"operationVersion\":\"1.0\",\"category\":\"SignInLogs\",\"tenantId\":\"22222222-2222-2222-2222-"
                + "222222222222\",\"resultType\":\"0\",\"callerIpAddress\":\"203.0.113.50\",\"correlationId\":\""
                + id + "\",\"identity\":\"User " + number
                + "\",\"Level\":4,\"location\":\"NL\",\"properties\":{\"id\":\""
                + id + "\",\"createdDateTime\":\"2026-11-25T09:58:12.0000000+00:00\",\"userDisplayName\":\"User "
                + number + "\",\"userPrincipalName\":\"user" + number + "@contoso.com\",\"appDisplayName\":"
                + "\"Azure Portal\",\"ipAddress\":\"203.0.113.50\",\"status\":{\"errorCode\":0},"
                + "\"isInteractive\":true}}";
    }
}
