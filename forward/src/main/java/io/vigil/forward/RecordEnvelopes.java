package io.vigil.forward;

import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Row;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch's rows as {@code {"records":[…]}} envelopes, the shape Azure's diagnostic settings write to an event
 * hub: consecutive records with the same topic and key share an envelope up to
 * {@link KafkaTransport#MAX_ENVELOPE_BYTES}, so rows keep their commit order within a key (one partition).
 */
final class RecordEnvelopes {
    private static final byte[] HEAD = "{\"records\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.UTF_8);

    /** Where a row that cannot be sent goes, with its reason. */
    @FunctionalInterface
    interface Poison {
        void deadLetter(Row row, DeadLetterReason reason, String detail, byte[] bytes);
    }

    private RecordEnvelopes() {}

    static List<KafkaTransport.Envelope> of(List<Row> rows, KafkaSettings settings, Encoder encoder, Poison poison) {
        List<KafkaTransport.Envelope> envelopes = new ArrayList<>();
        String topic = null;
        String key = null;
        List<byte[]> records = new ArrayList<>();
        int size = HEAD.length + TAIL.length;
        for (Row row : rows) {
            byte[] record;
            try {
                record = encoder.encode(row).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                poison.deadLetter(
                        row,
                        DeadLetterReason.WRONG_TYPE,
                        "not encodable: " + e.getMessage(),
                        row.toString().getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (HEAD.length + record.length + TAIL.length > KafkaTransport.MAX_ENVELOPE_BYTES) {
                poison.deadLetter(
                        row,
                        DeadLetterReason.OVERSIZE,
                        "record of " + record.length + " bytes; an envelope carries at most "
                                + KafkaTransport.MAX_ENVELOPE_BYTES,
                        record);
                continue;
            }
            String rowTopic = settings.topic()
                    .orElseGet(() -> AzureRecordEncoder.defaultTopic(row.table().name()));
            String rowKey = AzureRecordEncoder.key(row);
            boolean sameEnvelope = rowTopic.equals(topic)
                    && rowKey.equals(key)
                    && size + 1 + record.length <= KafkaTransport.MAX_ENVELOPE_BYTES;
            if (!sameEnvelope && !records.isEmpty()) {
                envelopes.add(new KafkaTransport.Envelope(topic, key, envelope(records)));
                records = new ArrayList<>();
                size = HEAD.length + TAIL.length;
            }
            topic = rowTopic;
            key = rowKey;
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
