package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Kafka / Event Hubs input at the server level: {@code vigil server}'s own flags parsed by picocli, the
 * server started as the command starts it, an in-process KRaft broker on loopback, the real producer
 * sending Azure diagnostic-settings exports, and the rows read back through the query API. A restart of
 * the server with the same group stores only what is new.
 */
@Timeout(240)
class KafkaServerEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "insights-activity-logs";

    @TempDir
    Path temp;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void diagnosticExportsFromKafkaAreQueryableThroughTheServer() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        // without these a one-node cluster never gets a group coordinator (as in the ingest module's test)
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
                        .get();
            }
            Properties properties = new Properties();
            properties.put("bootstrap.servers", cluster.bootstrapServers());
            properties.put("acks", "all");
            properties.put("key.serializer", StringSerializer.class.getName());
            properties.put("value.serializer", StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
                producer.send(new ProducerRecord<>(TOPIC, "a", envelope(1, 2))).get();
                producer.send(new ProducerRecord<>(TOPIC, "b", envelope(3))).get();

                String[] flags = {
                    "--data",
                    temp.resolve("data").toString(),
                    "--port",
                    "0",
                    "--kafka-bootstrap",
                    cluster.bootstrapServers(),
                    "--kafka-topic",
                    TOPIC,
                    "--kafka-group",
                    "vigil-e2e",
                    "--kafka-property",
                    "client.id=vigil-e2e-test"
                };
                runServer(flags, 3);

                // after a restart the group resumes: only the new message is stored, nothing twice
                producer.send(new ProducerRecord<>(TOPIC, "c", envelope(4, 5))).get();
                int expected = 5;
                if (kcatInstalled()) {
                    // the kcat example of docs/collecting.md: a blob of one record per line, from another producer
                    Files.writeString(temp.resolve("PT1H.json"), record(6) + "\n" + record(7) + "\n", UTF_8);
                    ReadmeScripts.run("kafka-kcat", temp, Map.of("127.0.0.1:9092", cluster.bootstrapServers()));
                    expected = 7;
                } else {
                    System.err.println("KafkaServerEndToEndTest: kcat is not installed (apt-get install kcat);"
                            + " the kcat example of docs/collecting.md is not run");
                }
                runServer(flags, expected);
            }
        }
    }

    /** Starts the server from {@code flags}, waits for {@code rows} rows, checks them, and stops it. */
    private void runServer(String[] flags, int rows) throws Exception {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(flags);
        try (VigilRuntime runtime = VigilRuntime.open(command.data.dataDir);
                ServerCommand.Running running = command.start(runtime)) {
            String base = "http://127.0.0.1:" + running.server().port();
            String key = Files.readString(command.data.dataDir.resolve("secrets/admin.key"))
                    .trim();
            String workspace = runtime.workspace().workspaceId();
            String query = "AzureActivity | summarize Rows = count(), Vms = dcount(_ResourceId)";
            JsonNode answer = awaitQuery(base, key, workspace, query, table -> cell(table, 0, 0) == rows);
            assertThat(cell(answer, 0, 1)).as("one row per VM, none twice").isEqualTo(rows);

            JsonNode detail = query(
                    base,
                    key,
                    workspace,
                    "AzureActivity | where _ResourceId endswith '/vm1' | project OperationNameValue, CategoryValue,"
                            + " ActivityStatusValue, CallerIpAddress");
            JsonNode first = detail.path("tables").get(0).path("rows").get(0);
            List<String> values = new ArrayList<>();
            first.forEach(value -> values.add(value.asText()));
            assertThat(values)
                    .containsExactly(
                            "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", "Administrative", "Success", "198.51.100.7");

            // the per-source view shows the topic caught up (the lag is measured at the consumer's next poll)
            Instant deadline = Instant.now().plus(WAIT);
            JsonNode topic = topic(get(base + "/v1/sources", key));
            while (topic == null
                    || !topic.path("lag").isObject()
                    || topic.path("lag").path("value").asLong() != 0) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no Kafka lag of 0 in /v1/sources after " + WAIT + ": " + topic);
                }
                Thread.sleep(200);
                topic = topic(get(base + "/v1/sources", key));
            }
            assertThat(topic.path("lag").path("unit").asText()).isEqualTo("messages");
            assertThat(topic.path("lag").path("value").asLong()).isZero();
            assertThat(topic.path("failuresTotal").asLong()).isZero();
            assertThat(topic.path("eventsTotal").asLong())
                    .as("records stored by this server run")
                    .isPositive();
        }
    }

    private static JsonNode topic(JsonNode sources) {
        for (JsonNode source : sources.path("sources")) {
            if (source.path("input").asText().equals("kafka")
                    && source.path("source").asText().equals(TOPIC)) {
                return source;
            }
        }
        return null;
    }

    private JsonNode awaitQuery(String base, String key, String workspace, String kql, Predicate<JsonNode> done)
            throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode answer = query(base, key, workspace, kql);
        while (!done.test(answer)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no expected answer in " + WAIT + ": " + answer);
            }
            Thread.sleep(200);
            answer = query(base, key, workspace, kql);
        }
        return answer;
    }

    private JsonNode query(String base, String key, String workspace, String kql) throws Exception {
        String body = JSON.createObjectNode().put("query", kql).toString();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/workspaces/" + workspace + "/query"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode get(String url, String key) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static long cell(JsonNode answer, int row, int column) {
        JsonNode rows = answer.path("tables").path(0).path("rows");
        if (rows.size() <= row) {
            return -1;
        }
        return rows.get(row).get(column).asLong();
    }

    /** A diagnostic-settings export as Azure writes it to an event hub: one {@code records} array. */
    private static String envelope(int... vms) {
        List<String> records = new ArrayList<>();
        for (int vm : vms) {
            records.add(record(vm));
        }
        return "{\"records\":[" + String.join(",", records) + "]}";
    }

    /** One Activity-log record of the VM numbered {@code vm}, as diagnostic settings export it. */
    private static String record(int vm) {
        return "{\"time\":\"2026-11-25T10:17:34.3210000Z\",\"resourceId\":\"/SUBSCRIPTIONS/11111111-1111-"
                + "1111-1111-111111111111/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM"
                + vm + "\",\"operationName\":\"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE\","
                + "\"category\":\"Administrative\",\"resultType\":\"Success\","
                + "\"callerIpAddress\":\"198.51.100.7\",\"correlationId\":\""
                + String.format("9d2c7e6a-1b3f-4c5d-8e9f-%012d", vm)
                + "\",\"level\":\"Information\",\"properties\":{\"statusCode\":\"Created\"}}";
    }

    private static boolean kcatInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/kcat"));
    }
}
