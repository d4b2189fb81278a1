package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.cli.CliRun;
import io.vigil.spi.Row;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil sinks add --type eventhubs_kafka … --filter} with a running server: the filtered rows reach a real
 * in-process broker in Azure's envelope, and the sinks' health (lag in events and seconds) is in {@code GET
 * /v1/sinks}, in {@code vigil sinks list --server} and in {@code /metrics}.
 */
@Timeout(240)
class SinksKafkaServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "vigil-export";

    @TempDir
    Path temp;

    @Test
    void aFilteredEventHubsSinkAndTheLagOfASinkThatIsDown() throws Exception {
        Path data = temp.resolve("ws");
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            String bootstrap = cluster.bootstrapServers();
            String endpoint = "127.0.0.1:" + bootstrap.substring(bootstrap.lastIndexOf(':') + 1);
            CliRun added = CliRun.run(
                    "sinks",
                    "add",
                    "--data",
                    data.toString(),
                    "--name",
                    "eventhubs",
                    "--type",
                    "eventhubs_kafka",
                    "--endpoint",
                    endpoint,
                    "--topic",
                    TOPIC,
                    "--route",
                    "table:SigninLogs",
                    "--filter",
                    "where ResultType != \"0\" | project TimeGenerated, UserPrincipalName, IPAddress",
                    "--route",
                    "alerts",
                    "--start",
                    "earliest");
            assertThat(added.exit()).as(added.err()).isZero();
            CliRun down = CliRun.run(
                    "sinks",
                    "add",
                    "--data",
                    data.toString(),
                    "--name",
                    "arcsight",
                    "--type",
                    "syslog_cef",
                    "--endpoint",
                    "127.0.0.1:" + closedPort,
                    "--route",
                    "table:SigninLogs",
                    "--start",
                    "earliest");
            assertThat(down.exit()).as(down.err()).isZero();

            try (VigilRuntime runtime = VigilRuntime.open(data);
                    ServerCommand.Running running =
                            ServerCommand.start(runtime, ServeOptions.builder().build())) {
                List<Row> rows = new ArrayList<>();
                for (String[] signin :
                        new String[][] {{"a@contoso.com", "0"}, {"b@contoso.com", "50126"}, {"c@contoso.com", "50053"}
                        }) {
                    rows.add(runtime.store()
                            .catalog()
                            .require("SigninLogs")
                            .newRow()
                            .set("TimeGenerated", Instant.now())
                            .set("UserPrincipalName", signin[0])
                            .set("ResultType", signin[1])
                            .set("IPAddress", "198.51.100.4")
                            .set("AppDisplayName", "Azure Portal")
                            .build());
                }
                runtime.store().write(rows).get(30, TimeUnit.SECONDS);

                List<JsonNode> records = read(bootstrap, 2);
                assertThat(records).hasSize(2);
                assertThat(records.stream()
                                .map(r -> r.path("properties")
                                        .path("userPrincipalName")
                                        .asText()))
                        .containsExactly("b@contoso.com", "c@contoso.com");
                for (JsonNode record : records) {
                    assertThat(record.path("category").asText()).isEqualTo("SignInLogs");
                    // the projection: what the filter kept, and nothing of the other columns
                    assertThat(record.path("properties").has("appDisplayName")).isFalse();
                    assertThat(record.path("callerIpAddress").asText()).isEqualTo("198.51.100.4");
                }

                String key = Files.readString(data.resolve("secrets/admin.key")).strip();
                String base = "http://127.0.0.1:" + running.server().port();
                JsonNode eventHubs = awaitSink(
                        base,
                        key,
                        "eventhubs",
                        h -> h.path("caughtUp").asBoolean() && h.path("sent").asLong() == 2);
                assertThat(eventHubs.path("lagEvents").asLong()).isZero();
                assertThat(eventHubs.path("lagSeconds").asLong()).isZero();
                assertThat(eventHubs.path("type").asText()).isEqualTo("eventhubs_kafka");
                // the receiver of the other sink is down: its three rows wait, counted
                JsonNode arcsight =
                        awaitSink(base, key, "arcsight", h -> h.path("failed").asLong() >= 1);
                assertThat(arcsight.path("lagEvents").asLong()).isEqualTo(3);
                assertThat(arcsight.path("caughtUp").asBoolean()).isFalse();

                CliRun list = CliRun.run("sinks", "list", "--server", base, "--data", data.toString());
                assertThat(list.exit()).as(list.err()).isZero();
                assertThat(list.out().lines().toList())
                        .anySatisfy(line -> assertThat(line)
                                .startsWith("eventhubs ")
                                .contains("eventhubs_kafka")
                                .contains("connected"))
                        .anySatisfy(line -> assertThat(line)
                                .startsWith("arcsight ")
                                .contains("retrying")
                                .containsPattern("retrying\\s+0\\s+\\d+\\s+\\d+\\s+0\\s+3\\s"));
                assertThat(list.out()).contains("LAG EVENTS");

                HttpClient http = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                String metrics = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .header("Authorization", "Bearer " + key)
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(metrics)
                        .contains("forward_lag_events{sink=\"arcsight\",type=\"syslog_cef\"} 3")
                        .contains("forward_lag_events{sink=\"eventhubs\",type=\"eventhubs_kafka\"} 0");
            }
        }
    }

    /** Reads the topic from the start until {@code count} records arrived (bounded wait). */
    private static List<JsonNode> read(String bootstrap, int count) throws Exception {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("key.deserializer", StringDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<JsonNode> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (records.size() < count && System.nanoTime() < deadline) {
                for (var message : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(message.key()).isEqualTo("SigninLogs");
                    JSON.readTree(message.value()).path("records").forEach(records::add);
                }
            }
            // what else the topic holds (a repeat) would show here
            consumer.poll(Duration.ofMillis(500))
                    .forEach(message -> records.add(JSON.createObjectNode().put("unexpected", true)));
        }
        return records;
    }

    private static JsonNode awaitSink(String base, String key, String name, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/sinks"))
                            .header("Authorization", "Bearer " + key)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            for (JsonNode sink : JSON.readTree(response.body()).path("sinks")) {
                if (sink.path("name").asText().equals(name)) {
                    last = sink;
                }
            }
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("sink " + name + " did not reach the expected health: " + last);
    }
}
