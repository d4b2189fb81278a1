package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@code eventhubs_kafka} sink: each row as an Azure diagnostic-settings record, grouped by topic and
 * partition key into {@code {"records":[…]}} envelopes and sent with the idempotent producer. Every item is
 * accepted once the broker acknowledged all envelopes; a failed attempt throws (the producer is replaced) and
 * the forwarder sends the batch again. A record too large for any envelope is dead-lettered as oversize.
 */
final class KafkaWriter implements SinkWriter {
    private final KafkaSettings settings;
    private final Encoder encoder = new AzureRecordEncoder();
    private final Clock clock;
    private final KafkaTransport transport;
    // the partition key is read from the row when it is encoded; kept by item id until the item is sent
    private final Map<String, String> keys = new ConcurrentHashMap<>();

    KafkaWriter(SinkConfig config, Clock clock) {
        this.settings = config.kafka().orElseThrow(() -> new IllegalArgumentException("not a Kafka sink"));
        this.clock = requireNonNull(clock, "clock is null");
        this.transport = new KafkaTransport(config);
    }

    @Override
    public SinkItem encode(Row row, String id) {
        Instant time = Items.timeGenerated(row).orElseGet(clock::instant);
        byte[] record = encoder.encode(row).getBytes(StandardCharsets.UTF_8);
        if (record.length <= maxItemBytes()) {
            // an oversize record is dead-lettered by the forwarder and never sent: no key to keep for it
            keys.put(id, AzureRecordEncoder.key(row));
        }
        return new SinkItem(id, row.table().name(), time, record);
    }

    @Override
    public int maxItemBytes() {
        return RecordEnvelopes.MAX_RECORD_BYTES;
    }

    @Override
    public int maxAttempts() {
        return 1;
    }

    @Override
    public List<ItemOutcome> send(List<SinkItem> items) throws IOException {
        transport.send(RecordEnvelopes.of(items, this::topic, this::key));
        for (SinkItem item : items) {
            keys.remove(item.id());
        }
        return Collections.nCopies(items.size(), ItemOutcome.ACCEPTED);
    }

    private String topic(SinkItem item) {
        return settings.topic().orElseGet(() -> AzureRecordEncoder.defaultTopic(item.table()));
    }

    private String key(SinkItem item) {
        return keys.getOrDefault(item.id(), item.table());
    }

    @Override
    public void close() {
        // a producer waiting for a broker that is down gives up at once, so the subscription's thread ends
        transport.close();
    }
}
