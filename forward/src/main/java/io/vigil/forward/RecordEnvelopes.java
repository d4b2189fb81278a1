package io.vigil.forward;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Records as {@code {"records":[…]}} envelopes, the shape Azure's diagnostic settings write to an event hub:
 * consecutive records with the same topic and key share an envelope up to
 * {@link KafkaTransport#MAX_ENVELOPE_BYTES}, so rows keep their commit order within a key (one partition).
 */
final class RecordEnvelopes {
    private static final byte[] HEAD = "{\"records\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.UTF_8);

    /** The largest record an envelope carries on its own. */
    static final int MAX_RECORD_BYTES = KafkaTransport.MAX_ENVELOPE_BYTES - HEAD.length - TAIL.length;

    private RecordEnvelopes() {}

    /** The items' bodies in envelopes; every body must be at most {@link #MAX_RECORD_BYTES}. */
    static List<KafkaTransport.Envelope> of(
            List<SinkItem> items, Function<SinkItem, String> topicOf, Function<SinkItem, String> keyOf) {
        List<KafkaTransport.Envelope> envelopes = new ArrayList<>();
        String topic = null;
        String key = null;
        List<byte[]> records = new ArrayList<>();
        int size = HEAD.length + TAIL.length;
        for (SinkItem item : items) {
            byte[] record = item.body();
            if (record.length > MAX_RECORD_BYTES) {
                throw new IllegalArgumentException(
                        "record of " + record.length + " bytes; an envelope carries at most " + MAX_RECORD_BYTES);
            }
            String itemTopic = topicOf.apply(item);
            String itemKey = keyOf.apply(item);
            boolean sameEnvelope = itemTopic.equals(topic)
                    && itemKey.equals(key)
                    && size + 1 + record.length <= KafkaTransport.MAX_ENVELOPE_BYTES;
            if (!sameEnvelope && !records.isEmpty()) {
                envelopes.add(new KafkaTransport.Envelope(topic, key, envelope(records)));
                records = new ArrayList<>();
                size = HEAD.length + TAIL.length;
            }
            topic = itemTopic;
            key = itemKey;
            if (!records.isEmpty()) {
                size++;
            }
            records.add(record);
            size += record.length;
        }
        if (!records.isEmpty()) {
            envelopes.add(new KafkaTransport.Envelope(topic, key, envelope(records)));
        }
        return envelopes;
    }

    private static byte[] envelope(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HEAD);
        for (int index = 0; index < records.size(); index++) {
            if (index > 0) {
                out.write(',');
            }
            out.writeBytes(records.get(index));
        }
        out.writeBytes(TAIL);
        return out.toByteArray();
    }
}
