package io.vigil.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.Row;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * The {@code splunk_hec} sink: events batched into POSTs to {@code /services/collector/event} with
 * {@code Authorization: Splunk <token>}, each event one {@link HecEventEncoder} object.
 *
 * <p>HEC's answers ({@code {"text","code","invalid-event-number","ackId"}}; Splunk "HTTP Event Collector
 * status codes") are honoured: code 0 takes the request; busy or unhealthy (503, codes 9 and 18-20) and 5xx
 * are retried; a token or channel problem (codes 1-4, 10, 11, 14) waits for the operator; invalid data
 * (codes 5, 6, 12, 13, 15, any other 400) refuses the event {@code invalid-event-number} names; when it
 * names none, the request's events are sent again one per request, so the refusal finds the bad one. HEC may have indexed the events before the invalid one, but it does not say
 * so: they are sent again (at least once).
 *
 * <p>With indexer acknowledgement every request carries the sink's {@code X-Splunk-Request-Channel} (a
 * GUID), and its events count as taken only when {@code /services/collector/ack} reports its {@code ackId}
 * true; those not acknowledged within the request timeout are sent again.
 */
final class SplunkHecWriter implements SinkWriter {
    static final int MAX_REQUEST = 1024 * 1024;
    static final String EVENT_PATH = "/services/collector/event";
    static final String ACK_PATH = "/services/collector/ack";
    static final String CHANNEL_HEADER = "X-Splunk-Request-Channel";
    static final int MAX_SENT_ALONE = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_ACK_POLL = Duration.ofMillis(50);
    private static final Duration LAST_ACK_POLL = Duration.ofSeconds(1);

    private final HttpSinkSettings settings;
    private final String token;
    private final HecEventEncoder encoder;
    private final HttpTransport http;
    private final Clock clock;
    private final URI eventUrl;
    private final URI ackUrl;
    private final String channel = UUID.randomUUID().toString();
    // events of a request HEC refused as a whole without naming one: sent alone, to find the bad one
    private final Set<String> sendAlone = ConcurrentHashMap.newKeySet();

    SplunkHecWriter(SinkConfig config, Clock clock, Optional<SSLContext> tls) {
        this.settings = config.http().orElseThrow();
        this.token = settings.readSecret()
                .orElseThrow(
                        () -> new IllegalArgumentException("a splunk_hec sink needs --secret-file (the HEC token)"));
        this.encoder = new HecEventEncoder(config.syslog().hostName());
        this.clock = clock;
        this.eventUrl = eventUrl(settings.url());
        String events = eventUrl.getScheme() + "://" + eventUrl.getRawAuthority() + eventUrl.getRawPath();
        this.ackUrl = URI.create(
                events.substring(0, events.length() - EVENT_PATH.length()) + ACK_PATH + "?channel=" + channel);
        this.http = new HttpTransport(settings, tls);
    }

    /** The event endpoint: the URL as given when it names it, else {@code /services/collector/event} on it. */
    static URI eventUrl(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        if (path.endsWith(EVENT_PATH)) {
            return url;
        }
        if (path.endsWith("/services/collector")) {
            return URI.create(url + "/event");
        }
        if (!path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("a splunk_hec endpoint is https://HOST:8088 or ends in " + EVENT_PATH);
        }
        return url.resolve(EVENT_PATH);
    }

    @Override
    public SinkItem encode(Row row, String id) {
        Instant time = Items.timeGenerated(row).orElseGet(clock::instant);
        return new SinkItem(
                id, row.table().name(), time, encoder.encode(row, time).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int maxItemBytes() {
        return MAX_REQUEST;
    }

    @Override
    public int maxAttempts() {
        return settings.maxAttempts();
    }

    @Override
    public List<ItemOutcome> send(List<SinkItem> items) throws IOException, InterruptedException {
        List<ItemOutcome> outcomes = new ArrayList<>(Collections.nCopies(items.size(), null));
        Map<Long, List<Integer>> awaitingAck = new LinkedHashMap<>();
        int offset = 0;
        boolean reachable = true;
        for (List<SinkItem> request : requests(items)) {
            int first = offset;
            offset += request.size();
            if (!reachable) {
                fill(outcomes, first, request.size(), new ItemOutcome.Retry("not sent: the receiver failed before"));
                continue;
            }
            HttpTransport.Response response;
            try {
                response = http.post(eventUrl, headers(), Batches.concatenate(request));
            } catch (IOException e) {
                if (first == 0) {
                    throw e;
                }
                reachable = false;
                fill(
                        outcomes,
                        first,
                        request.size(),
                        new ItemOutcome.Retry(e.getClass().getSimpleName() + ": " + e.getMessage()));
                continue;
            }
            JsonNode answer = parse(response.body());
            int code = answer.path("code").asInt(-1);
            if (response.ok() && code <= 0) {
                if (settings.indexerAck()) {
                    if (!answer.path("ackId").canConvertToLong()) {
                        fill(
                                outcomes,
                                first,
                                request.size(),
                                new ItemOutcome.Retry(
                                        "HEC answered without an ackId: is indexer acknowledgement on for the token?"));
                        continue;
                    }
                    List<Integer> positions = new ArrayList<>();
                    for (int i = 0; i < request.size(); i++) {
                        positions.add(first + i);
                    }
                    awaitingAck.put(answer.path("ackId").asLong(), positions);
                } else {
                    fill(outcomes, first, request.size(), ItemOutcome.ACCEPTED);
                }
                continue;
            }
            String reason = "HEC " + response.status() + " code " + code + ": "
                    + answer.path("text").asText(response.body());
            if (isInvalidData(response.status(), code)) {
                if (answer.path("invalid-event-number").canConvertToInt()) {
                    int invalid = answer.path("invalid-event-number").asInt();
                    for (int i = 0; i < request.size(); i++) {
                        if (i == invalid) {
                            outcomes.set(first + i, new ItemOutcome.Rejected(reason));
                        } else {
                            outcomes.set(first + i, new ItemOutcome.Retry("sent with an invalid event: " + reason));
                        }
                    }
                } else if (request.size() == 1) {
                    outcomes.set(first, new ItemOutcome.Rejected(reason));
                } else {
                    request.forEach(item -> sendAlone.add(item.id()));
                    fill(outcomes, first, request.size(), new ItemOutcome.Retry(reason + " (sent one by one next)"));
                }
            } else {
                fill(outcomes, first, request.size(), new ItemOutcome.Retry(reason));
            }
        }
        if (!awaitingAck.isEmpty()) {
            awaitAcks(awaitingAck, outcomes);
        }
        for (int i = 0; i < items.size(); i++) {
            if (outcomes.get(i) instanceof ItemOutcome.Accepted) {
                sendAlone.remove(items.get(i).id());
            }
        }
        if (sendAlone.size() > MAX_SENT_ALONE) {
            // ids of refused events already dead-lettered: forget them rather than keep them for ever
            sendAlone.clear();
        }
        return outcomes;
    }

    /** The requests for these items: batches, except that an item marked to go alone gets its own. */
    private List<List<SinkItem>> requests(List<SinkItem> items) {
        List<List<SinkItem>> requests = new ArrayList<>();
        List<SinkItem> together = new ArrayList<>();
        for (SinkItem item : items) {
            if (sendAlone.contains(item.id())) {
                requests.addAll(Batches.split(together, settings.batchEvents(), MAX_REQUEST));
                together = new ArrayList<>();
                requests.add(List.of(item));
            } else {
                together.add(item);
            }
        }
        requests.addAll(Batches.split(together, settings.batchEvents(), MAX_REQUEST));
        return requests;
    }

    /** HEC's codes for data it cannot take (5 no data, 6 invalid format, 12/13 event missing or blank, 15 indexed fields). */
    private static boolean isInvalidData(int status, int code) {
        if (code == 5 || code == 6 || code == 12 || code == 13 || code == 15) {
            return true;
        }
        boolean setup = code >= 1 && code <= 4 || code == 7 || code == 10 || code == 11 || code == 14 || code == 16;
        return status == 400 && !setup;
    }

    private void awaitAcks(Map<Long, List<Integer>> awaiting, List<ItemOutcome> outcomes) throws InterruptedException {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        long pause = FIRST_ACK_POLL.toMillis();
        String lastProblem =
                "no indexer acknowledgement within " + settings.requestTimeout().toSeconds() + " s";
        while (!awaiting.isEmpty() && System.nanoTime() < deadline && !http.isClosed()) {
            ObjectNode query = JSON.createObjectNode();
            ArrayNode ids = query.putArray("acks");
            awaiting.keySet().forEach(ids::add);
            try {
                HttpTransport.Response response =
                        http.post(ackUrl, headers(), query.toString().getBytes(StandardCharsets.UTF_8));
                if (response.ok()) {
                    JsonNode acks = parse(response.body()).path("acks");
                    for (Long id : new ArrayList<>(awaiting.keySet())) {
                        if (acks.path(Long.toString(id)).asBoolean(false)) {
                            awaiting.remove(id).forEach(position -> outcomes.set(position, ItemOutcome.ACCEPTED));
                        }
                    }
                } else {
                    lastProblem = "acknowledgement query: " + response.describe();
                }
            } catch (IOException e) {
                lastProblem = "acknowledgement query: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (!awaiting.isEmpty()) {
                Thread.sleep(pause);
                pause = Math.min(pause * 2, LAST_ACK_POLL.toMillis());
            }
        }
        ItemOutcome retry = new ItemOutcome.Retry(lastProblem);
        awaiting.values().forEach(positions -> positions.forEach(position -> outcomes.set(position, retry)));
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Splunk " + token);
        headers.put("Content-Type", "application/json");
        if (settings.indexerAck()) {
            headers.put(CHANNEL_HEADER, channel);
        }
        return headers;
    }

    private static void fill(List<ItemOutcome> outcomes, int first, int count, ItemOutcome outcome) {
        for (int i = first; i < first + count; i++) {
            outcomes.set(i, outcome);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
