package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the chain remembers of one row: its sequence number, its TimeGenerated (so a row retention deleted
 * can be told from a row someone deleted) and the SHA-256 of its canonical encoding. A batch's records
 * are kept as one block of fixed-size entries (sequence, time, hash: 8 + 8 + 32 bytes, big-endian; a
 * missing time is {@link Long#MIN_VALUE}), and the batch digest is taken over that block.
 */
record RowRecord(long rowSequence, Long timeGeneratedMicros, byte[] hash) {
    static final int BYTES = 8 + 8 + Digests.SHA256_BYTES;
    private static final long NO_TIME = Long.MIN_VALUE;

    RowRecord {
        requireNonNull(hash, "hash is null");
        if (hash.length != Digests.SHA256_BYTES) {
            throw new IllegalArgumentException("a row hash is 32 bytes");
        }
    }

    static RowRecord of(StoredRow row) {
        return new RowRecord(row.rowSequence(), row.timeGeneratedMicros(), CanonicalRow.hash(row.row()));
    }

    boolean sameHash(byte[] other) {
        return Arrays.equals(hash, other);
    }

    static byte[] encode(List<RowRecord> records) {
        ByteBuffer block = ByteBuffer.allocate(records.size() * BYTES);
        for (RowRecord record : records) {
            block.putLong(record.rowSequence);
            if (record.timeGeneratedMicros == null) {
                block.putLong(NO_TIME);
            } else {
                block.putLong(record.timeGeneratedMicros);
            }
            block.put(record.hash);
        }
        return block.array();
    }

    /** The records of a block, or null when its length is not a whole number of records. */
    static List<RowRecord> decode(byte[] block) {
        if (block.length % BYTES != 0) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(block);
        List<RowRecord> records = new ArrayList<>(block.length / BYTES);
        while (buffer.hasRemaining()) {
            long sequence = buffer.getLong();
            long time = buffer.getLong();
            byte[] hash = new byte[Digests.SHA256_BYTES];
            buffer.get(hash);
            Long timeOrNull = null;
            if (time != NO_TIME) {
                timeOrNull = time;
            }
            records.add(new RowRecord(sequence, timeOrNull, hash));
        }
        return records;
    }
}
