package io.vigil.store.hash;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * xxHash64 with seed 0, written from the algorithm's specification (xxhash_spec.md of the xxHash project), for
 * KQL's hash(): Kusto hashes a string's UTF-8 bytes and a datetime's ticks as 8 little-endian bytes.
 */
public final class XxHash64 {
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;
    private static final long PRIME_4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME_5 = 0x27D4EB2F165667C5L;

    private XxHash64() {}

    /** The hash of the text's UTF-8 bytes. */
    public static long ofText(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The hash of the value's 8 little-endian bytes. */
    public static long ofLong(long value) {
        return of(ByteBuffer.allocate(Long.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(value)
                .array());
    }

    /** The 64-bit hash of the bytes, seed 0. */
    public static long of(byte[] bytes) {
        ByteBuffer input = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int length = bytes.length;
        long hash;
        if (length >= 32) {
            long v1 = PRIME_1 + PRIME_2;
            long v2 = PRIME_2;
            long v3 = 0;
            long v4 = -PRIME_1;
            while (input.remaining() >= 32) {
                v1 = round(v1, input.getLong());
                v2 = round(v2, input.getLong());
                v3 = round(v3, input.getLong());
                v4 = round(v4, input.getLong());
            }
            hash = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            hash = merge(hash, v1);
            hash = merge(hash, v2);
            hash = merge(hash, v3);
            hash = merge(hash, v4);
        } else {
            hash = PRIME_5;
        }
        hash += length;
        while (input.remaining() >= 8) {
            hash ^= round(0, input.getLong());
            hash = Long.rotateLeft(hash, 27) * PRIME_1 + PRIME_4;
        }
        if (input.remaining() >= 4) {
            hash ^= (input.getInt() & 0xFFFFFFFFL) * PRIME_1;
            hash = Long.rotateLeft(hash, 23) * PRIME_2 + PRIME_3;
        }
        while (input.hasRemaining()) {
            hash ^= (input.get() & 0xFFL) * PRIME_5;
            hash = Long.rotateLeft(hash, 11) * PRIME_1;
        }
        hash ^= hash >>> 33;
        hash *= PRIME_2;
        hash ^= hash >>> 29;
        hash *= PRIME_3;
        hash ^= hash >>> 32;
        return hash;
    }

    private static long round(long accumulator, long lane) {
        return Long.rotateLeft(accumulator + lane * PRIME_2, 31) * PRIME_1;
    }

    private static long merge(long hash, long accumulator) {
        return (hash ^ round(0, accumulator)) * PRIME_1 + PRIME_4;
    }
}
