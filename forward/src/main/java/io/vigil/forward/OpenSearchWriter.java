package io.vigil.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.spi.Row;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The {@code opensearch} (and {@code elasticsearch}) sink: {@link BulkEncoder} items POSTed to
 * {@code <endpoint>/_bulk} as NDJSON, and each item's own status in the answer honoured: 2xx taken, 429 and
 * 5xx sent again, any other 4xx refused with the error's type and reason (dead-lettered once the sink's
 * attempts are used up). The secret file holds {@code user:password} (HTTP basic) or, without a colon, an
 * encoded API key ({@code Authorization: ApiKey …}); without one, no authorization is sent.
 */
final class OpenSearchWriter implements SinkWriter {
    static final int MAX_REQUEST = 5 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpSinkSettings settings;
    private final Optional<String> authorization;
    private final BulkEncoder encoder = new BulkEncoder();
    private final HttpTransport http;
    private final Clock clock;
    private final URI bulkUrl;

    OpenSearchWriter(SinkConfig config, Clock clock, Optional<SSLContext> tls) {
        this.settings = config.http().orElseThrow();
        this.authorization = settings.readSecret().map(OpenSearchWriter::authorization);
        this.clock = clock;
        this.bulkUrl = bulkUrl(settings.url());
        this.http = new HttpTransport(settings, tls);
    }

    static URI bulkUrl(URI url) {
        String base =
                url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
        if (base.endsWith("/_bulk")) {
            return URI.create(base);
        }
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/_bulk");
    }

    static String authorization(String secret) {
        if (secret.contains(":")) {
            return "Basic " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        }
        return "ApiKey " + secret;
    }

    @Override
    public SinkItem encode(Row row, String id) {
        Instant time = Items.timeGenerated(row).orElseGet(clock::instant);
        return new SinkItem(
                id, row.table().name(), time, encoder.encode(row, time, id).getBytes(StandardCharsets.UTF_8));
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
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        Optional<ItemOutcome> unreachable = Optional.empty();
        for (List<SinkItem> request : Batches.split(items, settings.batchEvents(), MAX_REQUEST)) {
            if (unreachable.isPresent()) {
                outcomes.addAll(Collections.nCopies(request.size(), unreachable.get()));
                continue;
            }
            HttpTransport.Response response;
            try {
                response = http.post(bulkUrl, headers(), Batches.concatenate(request));
            } catch (IOException e) {
                if (outcomes.isEmpty()) {
                    throw e;
                }
                unreachable = Optional.of(new ItemOutcome.Retry(e.getClass().getSimpleName() + ": " + e.getMessage()));
                outcomes.addAll(Collections.nCopies(request.size(), unreachable.get()));
                continue;
            }
            if (!response.ok()) {
                outcomes.addAll(Collections.nCopies(request.size(), HttpTransport.outcome(response)));
                continue;
            }
            outcomes.addAll(itemOutcomes(response.body(), request.size()));
        }
        return outcomes;
    }

    /** The outcome of each item of a {@code _bulk} answer, in order. */
    static List<ItemOutcome> itemOutcomes(String body, int expected) throws IOException {
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            throw new IOException("the _bulk answer is not JSON: " + Texts.truncate(body, 200));
        }
        JsonNode items = answer.path("items");
        if (!items.isArray() || items.size() != expected) {
            throw new IOException("the _bulk answer lists " + items.size() + " items for " + expected + " sent");
        }
        List<ItemOutcome> outcomes = new ArrayList<>(expected);
        for (JsonNode item : items) {
            Iterator<JsonNode> actions = item.elements();
            JsonNode result = actions.hasNext() ? actions.next() : JSON.createObjectNode();
            int status = result.path("status").asInt(0);
            if (status >= 200 && status < 300) {
                outcomes.add(ItemOutcome.ACCEPTED);
                continue;
            }
            JsonNode error = result.path("error");
            String reason = "status " + status + ": " + error.path("type").asText("error") + ": "
                    + error.path("reason").asText(error.toString());
            if (status == 429 || status >= 500 || status == 0) {
                outcomes.add(new ItemOutcome.Retry(reason));
            } else {
                outcomes.add(new ItemOutcome.Rejected(reason));
            }
        }
        return outcomes;
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-ndjson");
        authorization.ifPresent(value -> headers.put("Authorization", value));
        return headers;
    }

    @Override
    public void close() {
        http.close();
    }
}
