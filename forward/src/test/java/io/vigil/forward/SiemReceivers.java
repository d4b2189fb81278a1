package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** Strict receivers of the HTTP sinks' protocols, answering as Splunk, a webhook consumer and OpenSearch do. */
final class SiemReceivers {
    static final ObjectMapper JSON = new ObjectMapper();

    private SiemReceivers() {}

    /**
     * Splunk's HTTP Event Collector: {@code Authorization: Splunk <token>}, events as concatenated JSON objects,
     * code 6 with {@code invalid-event-number} for an event whose row holds "poison" (indexing the events
     * before it, as HEC may), and with acknowledgement a channel GUID and acks that turn true on the second
     * query.
     */
    static final class Hec implements HttpReceiver.Handler {
        private final String token;
        private final boolean acknowledgement;
        final Queue<JsonNode> events = new ConcurrentLinkedQueue<>();
        private final Map<Long, List<JsonNode>> unacknowledged = new ConcurrentHashMap<>();
        private final Map<Long, Integer> ackQueries = new ConcurrentHashMap<>();
        private final AtomicLong nextAck = new AtomicLong();

        Hec(String token, boolean acknowledgement) {
            this.token = token;
            this.acknowledgement = acknowledgement;
        }

        @Override
        public HttpReceiver.Reply handle(HttpReceiver.Request request) throws Exception {
            assertThat(request.method()).isEqualTo("POST");
            if (!request.header("Authorization").orElse("").equals("Splunk " + token)) {
                return new HttpReceiver.Reply(403, "{\"text\":\"Invalid token\",\"code\":4}");
            }
            if (acknowledgement) {
                String channel = request.header(SplunkHecWriter.CHANNEL_HEADER).orElse("");
                if (channel.isEmpty()) {
                    return new HttpReceiver.Reply(400, "{\"text\":\"Data channel is missing\",\"code\":10}");
                }
                UUID.fromString(channel);
            }
            if (request.path().equals(SplunkHecWriter.ACK_PATH)) {
                assertThat(acknowledgement)
                        .as("an ack query only with acknowledgement on")
                        .isTrue();
                assertThat(request.query()).startsWith("channel=");
                ObjectNode answer = JSON.createObjectNode();
                ObjectNode acks = answer.putObject("acks");
                for (JsonNode id : JSON.readTree(request.body()).path("acks")) {
                    long ack = id.asLong();
                    boolean done = ackQueries.merge(ack, 1, Integer::sum) >= 2;
                    if (done) {
                        List<JsonNode> indexed = unacknowledged.remove(ack);
                        if (indexed != null) {
                            events.addAll(indexed);
                        }
                    }
                    acks.put(Long.toString(ack), done);
                }
                return new HttpReceiver.Reply(200, answer.toString());
            }
            assertThat(request.path()).isEqualTo(SplunkHecWriter.EVENT_PATH);
            List<JsonNode> batch = new ArrayList<>();
            try (MappingIterator<JsonNode> objects =
                    JSON.readerFor(JsonNode.class).readValues(request.body())) {
                while (objects.hasNext()) {
                    batch.add(objects.next());
                }
            }
            assertThat(batch).isNotEmpty();
            for (int i = 0; i < batch.size(); i++) {
                JsonNode event = batch.get(i);
                assertThat(event.path("time").isNumber())
                        .as("time is epoch seconds")
                        .isTrue();
                assertThat(event.path("sourcetype").asText()).matches("vigil:[a-z0-9_]+");
                assertThat(event.path("source").asText()).isEqualTo("vigil");
                assertThat(event.path("host").asText()).isNotEmpty();
                assertThat(event.path("event").isObject()).isTrue();
                if (event.path("event").toString().contains("unnamed")) {
                    // HEC refusing a request without saying which event: nothing of it is indexed
                    return new HttpReceiver.Reply(400, "{\"text\":\"Invalid data format\",\"code\":6}");
                }
                if (event.path("event").toString().contains("poison")) {
                    events.addAll(batch.subList(0, i));
                    return new HttpReceiver.Reply(
                            400, "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":" + i + "}");
                }
            }
            if (acknowledgement) {
                long ack = nextAck.getAndIncrement();
                unacknowledged.put(ack, batch);
                return new HttpReceiver.Reply(200, "{\"text\":\"Success\",\"code\":0,\"ackId\":" + ack + "}");
            }
            events.addAll(batch);
            return new HttpReceiver.Reply(200, "{\"text\":\"Success\",\"code\":0}");
        }

        List<String> messages() {
            return events.stream()
                    .map(event -> event.path("event").path("SyslogMessage").asText())
                    .toList();
        }
    }

    /**
     * A webhook consumer that verifies as docs/forwarding.md tells one to: the timestamp within 5 minutes of
     * its clock, the HMAC over {@code timestamp.body}, then the delivery id for repeats. Bodies holding
     * "poison" are refused with 422.
     */
    static final class Webhook implements HttpReceiver.Handler {
        static final Duration TOLERANCE = Duration.ofMinutes(5);
        private final WebhookSignature signature;
        private final Clock clock;
        final Queue<JsonNode> bodies = new ConcurrentLinkedQueue<>();
        final Queue<String> deliveries = new ConcurrentLinkedQueue<>();

        Webhook(String secret, Clock clock) {
            this.signature = new WebhookSignature(secret);
            this.clock = clock;
        }

        @Override
        public HttpReceiver.Reply handle(HttpReceiver.Request request) throws Exception {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Content-Type").orElse("")).startsWith("application/json");
            String timestamp = request.header(WebhookSignature.TIMESTAMP_HEADER).orElse("");
            String signed = request.header(WebhookSignature.SIGNATURE_HEADER).orElse("");
            if (!timestamp.matches("[0-9]{1,12}")
                    || Math.abs(Long.parseLong(timestamp) - clock.instant().getEpochSecond()) > TOLERANCE.toSeconds()) {
                return new HttpReceiver.Reply(401, "{\"error\":\"stale or missing timestamp\"}");
            }
            if (!signature.verify(timestamp, request.body(), signed)) {
                return new HttpReceiver.Reply(401, "{\"error\":\"bad signature\"}");
            }
            JsonNode body = JSON.readTree(request.body());
            if (request.text().contains("poison")) {
                return new HttpReceiver.Reply(422, "{\"error\":\"poison\"}");
            }
            deliveries.add(request.header(WebhookSignature.DELIVERY_HEADER).orElseThrow());
            bodies.add(body);
            return new HttpReceiver.Reply(200, "");
        }
    }

    /**
     * OpenSearch's {@code _bulk}: NDJSON in action/document pairs, each action an {@code index} with an
     * {@code _index} of the form {@code vigil-<table>-yyyy.MM.dd} and an {@code _id}; documents holding
     * "poison" fail with 400 mapper_parsing_exception, those holding "flaky" with 429 the first time.
     */
    static final class Bulk implements HttpReceiver.Handler {
        private static final Pattern INDEX = Pattern.compile("vigil-[a-z0-9_]+-[0-9]{4}\\.[0-9]{2}\\.[0-9]{2}");
        private final String authorization;
        final Map<String, JsonNode> documents = new ConcurrentHashMap<>();
        final Set<String> indexes = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();
        private final Map<String, Boolean> flaked = new ConcurrentHashMap<>();

        Bulk(String authorization) {
            this.authorization = authorization;
        }

        @Override
        public HttpReceiver.Reply handle(HttpReceiver.Request request) throws Exception {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/_bulk");
            assertThat(request.header("Content-Type").orElse("")).startsWith("application/x-ndjson");
            if (!request.header("Authorization").orElse("").equals(authorization)) {
                return new HttpReceiver.Reply(
                        401,
                        "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unauthorized\"},\"status\":401}");
            }
            String text = new String(request.body(), StandardCharsets.UTF_8);
            assertThat(text).endsWith("\n");
            String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
            assertThat(lines.length % 2)
                    .as("action and document lines in pairs")
                    .isZero();
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode items = answer.putArray("items");
            boolean errors = false;
            for (int i = 0; i < lines.length; i += 2) {
                JsonNode action = JSON.readTree(lines[i]);
                assertThat(action.size()).isEqualTo(1);
                JsonNode index = action.path("index");
                String name = index.path("_index").asText();
                String id = index.path("_id").asText();
                assertThat(name).matches(INDEX);
                assertThat(id).isNotEmpty();
                JsonNode document = JSON.readTree(lines[i + 1]);
                assertThat(document.path("@timestamp").asText()).isNotEmpty();
                ObjectNode result = items.addObject().putObject("index");
                result.put("_index", name);
                result.put("_id", id);
                String key = name + "/" + id;
                if (lines[i + 1].contains("poison")) {
                    result.put("status", 400);
                    ObjectNode error = result.putObject("error");
                    error.put("type", "mapper_parsing_exception");
                    error.put("reason", "failed to parse field [SyslogMessage]");
                    errors = true;
                } else if (lines[i + 1].contains("flaky") && flaked.putIfAbsent(key, true) == null) {
                    result.put("status", 429);
                    ObjectNode error = result.putObject("error");
                    error.put("type", "es_rejected_execution_exception");
                    error.put("reason", "rejected execution");
                    errors = true;
                } else {
                    boolean existed = documents.put(key, document) != null;
                    if (existed) {
                        duplicates.incrementAndGet();
                    }
                    indexes.add(name);
                    result.put("status", existed ? 200 : 201);
                    result.put("result", existed ? "updated" : "created");
                }
            }
            answer.put("took", 1);
            answer.put("errors", errors);
            return new HttpReceiver.Reply(200, answer.toString());
        }

        List<String> messages() {
            return documents.values().stream()
                    .map(document -> document.path("SyslogMessage").asText())
                    .sorted()
                    .toList();
        }
    }
}
