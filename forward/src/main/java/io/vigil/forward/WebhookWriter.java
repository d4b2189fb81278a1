package io.vigil.forward;

import io.vigil.spi.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The {@code webhook} sink: one signed JSON POST per row (see {@link WebhookSignature}), the row as
 * {@code syslog_json} writes it or, for alert routes, Azure Monitor's common alert schema. A 2xx takes the
 * row; the timestamp and signature are made again for each attempt, so a retry is never stale.
 */
final class WebhookWriter implements SinkWriter {
    static final int MAX_BODY = 1024 * 1024;

    private final HttpSinkSettings settings;
    private final WebhookSignature signature;
    private final Encoder encoder;
    private final HttpTransport http;
    private final Clock clock;

    WebhookWriter(SinkConfig config, Clock clock, Optional<SSLContext> tls) {
        this.settings = config.http().orElseThrow();
        this.signature = new WebhookSignature(settings.readSecret()
                .orElseThrow(() -> new IllegalArgumentException("a webhook sink needs --secret-file")));
        this.encoder = switch (settings.payload()) {
            case VIGIL -> new JsonEncoder();
            case AZURE_COMMON_ALERT -> new CommonAlertSchemaEncoder();
        };
        this.clock = clock;
        this.http = new HttpTransport(settings, tls);
    }

    @Override
    public SinkItem encode(Row row, String id) {
        Instant time = Items.timeGenerated(row).orElseGet(clock::instant);
        return new SinkItem(id, row.table().name(), time, encoder.encode(row).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int maxItemBytes() {
        return MAX_BODY;
    }

    @Override
    public int maxAttempts() {
        return settings.maxAttempts();
    }

    /** The headers of one delivery, signed at {@code epochSeconds}. */
    Map<String, String> headers(SinkItem item, long epochSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(epochSeconds));
        headers.put(WebhookSignature.SIGNATURE_HEADER, signature.sign(epochSeconds, item.body()));
        headers.put(WebhookSignature.DELIVERY_HEADER, item.id());
        headers.put(WebhookSignature.TABLE_HEADER, item.table());
        return headers;
    }

    @Override
    public List<ItemOutcome> send(List<SinkItem> items) throws InterruptedException {
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        for (SinkItem item : items) {
            ItemOutcome outcome;
            try {
                long now = clock.instant().getEpochSecond();
                outcome = HttpTransport.outcome(http.post(settings.url(), headers(item, now), item.body()));
            } catch (IOException e) {
                outcome = new ItemOutcome.Retry(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            outcomes.add(outcome);
            if (outcome instanceof ItemOutcome.Retry) {
                // unreachable, stalled, busy or set up wrong: the rest waits for the next attempt, in order
                while (outcomes.size() < items.size()) {
                    outcomes.add(outcome);
                }
                break;
            }
        }
        return outcomes;
    }

    @Override
    public void close() {
        http.close();
    }
}
