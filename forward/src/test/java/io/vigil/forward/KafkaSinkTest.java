package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.formats.LogFormats;
import io.vigil.metrics.Metrics;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.Row;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The eventhubs_kafka sink against a real in-process KRaft broker on loopback, read back by a real consumer. */
@Timeout(300)
class KafkaSinkTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaClusterTestKit cluster;
    private static Admin admin;

    @TempDir
    Path dataDir;

    private final TestingClock clock = new TestingClock(NOW);
    private final Metrics metrics = new Metrics();

    @BeforeAll
    static void startBroker() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        admin = cluster.admin();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        admin.close(Duration.ofSeconds(5));
        cluster.close();
    }

    private DuckDbStore open() {
        return DuckDbStore.open(dataDir, StoreOptions.builder().tenantId("ws-1").build(), clock, metrics);
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private static SinkConfig sink(String name, Route route) {
        int colon = cluster.bootstrapServers().lastIndexOf(':');
        String endpoint = "127.0.0.1:" + cluster.bootstrapServers().substring(colon + 1);
        return SinkConfig.of(name, "eventhubs_kafka", endpoint, route)
                .withStart(SubscriptionStart.EARLIEST)
                .withMaxBackoff(Duration.ofMillis(500));
    }

    private static Row signin(DuckDbStore store, String user, String resultType) {
        return store.catalog()
                .require("SigninLogs")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("UserPrincipalName", user)
                .set("ResultType", resultType)
                .set("ResultDescription", "Invalid username or password.")
                .set("IPAddress", "203.0.113.7")
                .set("AppDisplayName", "Azure Portal")
                .set("AADTenantId", "72f988bf-86f1-41af-91ab-2d7cd011db47")
                .build();
    }

    private static Row alert(DuckDbStore store, String id, String name) {
        return store.catalog()
                .require("SecurityAlert")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("SystemAlertId", id)
                .set("AlertName", name)
                .set("AlertSeverity", "High")
                .build();
    }

    private static Row syslog(DuckDbStore store, String message) {
        return store.catalog()
                .require("Syslog")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("SyslogMessage", message)
                .build();
    }

    /** Every record read from the topics so far, oldest first per partition. */
    private static List<ConsumerRecord<String, byte[]>> readAll(List<String> topics, int atLeast) throws Exception {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", cluster.bootstrapServers());
        properties.put("key.deserializer", StringDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("isolation.level", "read_committed");
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                if (records(read) >= atLeast) {
                    // one more poll: what the broker still holds beyond the wanted count (duplicates) is read too
                    consumer.poll(Duration.ofMillis(500)).forEach(read::add);
                    return read;
                }
            }
        }
        throw new AssertionError("read only " + records(read) + " records of " + atLeast);
    }

    private static int records(List<ConsumerRecord<String, byte[]>> messages) throws Exception {
        int count = 0;
        for (ConsumerRecord<String, byte[]> message : messages) {
            count += JSON.readTree(message.value()).path("records").size();
        }
        return count;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void rowsAndAlertsArriveInAzuresRecordsEnvelopeKeyedByTableAndAlertId() throws Exception {
        createTopic("insights-logs-signinlogs", 2);
        createTopic("insights-logs-securityalert", 2);
        try (DuckDbStore store = open();
                Forwarder forwarder = Forwarder.start(
                        sink("eventhubs", Route.parse(List.of("alerts", "table:SigninLogs"))),
                        store,
                        clock,
                        metrics,
                        Optional.empty())) {
            store.write(List.of(signin(store, "adele@contoso.com", "50126"), signin(store, "alex@contoso.com", "0")))
                    .get(30, TimeUnit.SECONDS);
            store.write(List.of(
                            alert(store, "alert-1", "Password spray"), alert(store, "alert-2", "Impossible travel")))
                    .get(30, TimeUnit.SECONDS);

            List<ConsumerRecord<String, byte[]>> signins = readAll(List.of("insights-logs-signinlogs"), 2);
            assertThat(signins).hasSize(1);
            assertThat(signins.getFirst().key()).isEqualTo("SigninLogs");
            JsonNode envelope = JSON.readTree(signins.getFirst().value());
            assertThat(envelope.properties().stream().map(Map.Entry::getKey)).containsExactly("records");
            JsonNode first = envelope.path("records").get(0);
            assertThat(first.path("time").asText()).isEqualTo("2026-11-25T12:00:00Z");
            assertThat(first.path("resourceId").asText())
                    .isEqualTo("/tenants/72f988bf-86f1-41af-91ab-2d7cd011db47/providers/Microsoft.aadiam");
            assertThat(first.path("category").asText()).isEqualTo("SignInLogs");
            assertThat(first.path("resultType").asText()).isEqualTo("50126");
            assertThat(first.path("callerIpAddress").asText()).isEqualTo("203.0.113.7");
            assertThat(first.path("properties").path("userPrincipalName").asText())
                    .isEqualTo("adele@contoso.com");
            assertThat(first.path("properties").path("status").path("errorCode").asInt())
                    .isEqualTo(50126);

            // Vigil's own Entra sign-in parser reads the envelope back into the same rows
            List<Row> back = Rows.parse(
                    LogFormats.builtIn().byName("entra_signin").orElseThrow(),
                    new String(signins.getFirst().value(), StandardCharsets.UTF_8));
            assertThat(back).hasSize(2);
            assertThat(back.get(0).table().name()).isEqualTo("SigninLogs");
            assertThat(back.get(0).get("UserPrincipalName")).isEqualTo("adele@contoso.com");
            assertThat(back.get(0).get("ResultType")).isEqualTo("50126");
            assertThat(back.get(0).get("IPAddress")).isEqualTo("203.0.113.7");
            assertThat(back.get(0).get("AppDisplayName")).isEqualTo("Azure Portal");
            assertThat(back.get(0).get("TimeGenerated")).isEqualTo(NOW);
            assertThat(back.get(1).get("UserPrincipalName")).isEqualTo("alex@contoso.com");
            assertThat(back.get(1).get("ResultType")).isEqualTo("0");

            List<ConsumerRecord<String, byte[]>> alerts = readAll(List.of("insights-logs-securityalert"), 2);
            Map<String, String> nameByKey = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> message : alerts) {
                JsonNode records = JSON.readTree(message.value()).path("records");
                assertThat(records).hasSize(1);
                assertThat(records.get(0).path("category").asText()).isEqualTo("SecurityAlert");
                assertThat(records.get(0).path("resourceId").asText())
                        .isEqualTo("/tenants/ws-1/providers/Vigil/tables/SecurityAlert");
                nameByKey.put(
                        message.key(),
                        records.get(0).path("properties").path("AlertName").asText());
            }
            assertThat(nameByKey)
                    .containsExactly(Map.entry("alert-1", "Password spray"), Map.entry("alert-2", "Impossible travel"));

            awaitTrue("caught up", () -> forwarder.health().caughtUp());
            assertThat(forwarder.health().sent()).isEqualTo(4);
            assertThat(forwarder.health().failed()).isZero();
        }
    }

    @Test
    void aBrokerKilledMidStreamAndRestartedLosesNothing() throws Exception {
        String topic = "vigil-syslog";
        createTopic(topic, 1);
        BrokerServer broker = cluster.brokers().values().iterator().next();
        int batches = 30;
        try (DuckDbStore store = open();
                Forwarder forwarder = Forwarder.start(
                        sink("eventhubs-restart", Route.parse(List.of("table:Syslog")))
                                .withKafka(KafkaSettings.DEFAULT.withTopic(topic)),
                        store,
                        clock,
                        metrics,
                        Optional.empty())) {
            for (int batch = 0; batch < batches; batch++) {
                if (batch == 10) {
                    awaitTrue("the first batches sent", () -> forwarder.health().sent() >= 20);
                    broker.shutdown();
                    broker.awaitShutdown();
                }
                if (batch == 20) {
                    awaitTrue("a failed attempt", () -> forwarder.health().failed() >= 1);
                    assertThat(forwarder.health().lastError()).isPresent();
                    assertThat(forwarder.health().caughtUp()).isFalse();
                    broker.startup();
                    cluster.waitForReadyBrokers();
                }
                store.write(List.of(syslog(store, "m" + batch + "-a"), syslog(store, "m" + batch + "-b")))
                        .get(30, TimeUnit.SECONDS);
            }
            awaitTrue(
                    "caught up",
                    () -> forwarder.health().caughtUp() && forwarder.health().sent() >= 2 * batches);

            Map<String, Integer> seen = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> message : readAll(List.of(topic), 2 * batches)) {
                assertThat(message.key()).isEqualTo("Syslog");
                for (JsonNode record : JSON.readTree(message.value()).path("records")) {
                    seen.merge(record.path("properties").path("SyslogMessage").asText(), 1, Integer::sum);
                }
            }
            for (int batch = 0; batch < batches; batch++) {
                assertThat(seen).containsKey("m" + batch + "-a").containsKey("m" + batch + "-b");
            }
            assertThat(seen).hasSize(2 * batches);
            int duplicates = seen.values().stream().mapToInt(count -> count - 1).sum();
            System.out.println("eventhubs_kafka broker restart: " + 2 * batches + " records, " + duplicates
                    + " duplicates, " + forwarder.health().failed() + " failed attempts");
            assertThat(forwarder.health().failed()).isPositive();
        }
    }

    @Test
    void anOversizeRecordIsDeadLetteredAndTheRowsAroundItArrive() throws Exception {
        String topic = "vigil-oversize";
        createTopic(topic, 1);
        try (DuckDbStore store = open();
                Forwarder forwarder = Forwarder.start(
                        sink("eventhubs-oversize", Route.parse(List.of("table:Syslog")))
                                .withKafka(KafkaSettings.DEFAULT.withTopic(topic)),
                        store,
                        clock,
                        metrics,
                        Optional.empty())) {
            // one record larger than any envelope (~1 MB) between two small ones of the same batch
            String huge = "x".repeat(KafkaTransport.MAX_ENVELOPE_BYTES);
            store.write(List.of(syslog(store, "before"), syslog(store, huge), syslog(store, "after")))
                    .get(30, TimeUnit.SECONDS);

            List<String> messages = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> message : readAll(List.of(topic), 2)) {
                for (JsonNode record : JSON.readTree(message.value()).path("records")) {
                    messages.add(record.path("properties").path("SyslogMessage").asText());
                }
            }
            assertThat(messages).containsExactly("before", "after");
            awaitTrue("caught up", () -> forwarder.health().caughtUp());
            assertThat(forwarder.health().deadLettered()).isEqualTo(1);
            assertThat(forwarder.health().sent()).isEqualTo(2);
            try (Connection connection = store.newQueryConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT Reason, Detail FROM VigilDeadLetter WHERE Source = 'sink:eventhubs-oversize'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("oversize");
                assertThat(rows.getString(2))
                        .startsWith("message of ")
                        .contains("kafka://127.0.0.1:")
                        .endsWith("takes at most " + RecordEnvelopes.MAX_RECORD_BYTES);
                assertThat(rows.next()).isFalse();
            }
        }
    }

    @Test
    void settingsAreCheckedWhenTheSinkIsBuilt() throws Exception {
        Route route = Route.parse(List.of("alerts"));
        assertThatThrownBy(() -> sink("k", route).withTransport(TransportKind.UDP, Framing.LF))
                .hasMessageContaining("tcp or tls, not udp");
        assertThatThrownBy(() -> KafkaSettings.DEFAULT.withTopic("bad topic")).hasMessageContaining("letters, digits");
        Path empty = Files.writeString(dataDir.resolve("empty.secret"), "\n");
        try (DuckDbStore store = open()) {
            assertThatThrownBy(() -> Forwarder.start(
                            sink("k", route).withKafka(KafkaSettings.DEFAULT.withSecretFile(dataDir.resolve("none"))),
                            store,
                            clock,
                            metrics,
                            Optional.empty()))
                    .hasMessageContaining("is not readable");
            assertThatThrownBy(() -> Forwarder.start(
                            sink("k", route).withKafka(KafkaSettings.DEFAULT.withSecretFile(empty)),
                            store,
                            clock,
                            metrics,
                            Optional.empty()))
                    .hasMessageContaining("is empty");
        }
        // Event Hubs' Kafka endpoint: SASL/PLAIN over TLS with the connection string as password
        Path secret = Files.writeString(
                dataDir.resolve("eh.secret"),
                "Endpoint=sb://ns.example/;SharedAccessKeyName=send;SharedAccessKey=k\"ey\n");
        SinkConfig eventHubs = SinkConfig.of("eh", "eventhubs_kafka", "ns.example:9093", route)
                .withTransport(TransportKind.TLS, Framing.OCTET_COUNTING)
                .withKafka(KafkaSettings.DEFAULT.withTopic("insights-logs").withSecretFile(secret));
        Properties properties = KafkaTransport.properties(
                eventHubs, Optional.of(Files.readString(secret).strip()));
        assertThat(properties.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(properties.getProperty("sasl.mechanism")).isEqualTo("PLAIN");
        assertThat(properties.getProperty("sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"$ConnectionString\" password=\"Endpoint=sb://ns.example/;"
                        + "SharedAccessKeyName=send;SharedAccessKey=k\\\"ey\";");
        assertThat(properties.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(properties.getProperty("acks")).isEqualTo("all");
        assertThat(properties.getProperty("bootstrap.servers")).isEqualTo("ns.example:9093");
    }
}
