package io.vigil.store;

import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Encodes a batch of rows as RFC 4180 CSV that DuckDB's {@code read_csv} loads in one vectorized pass,
 * which is several times faster than appending value by value through JNI (see docs/benchmarks.md).
 * Every string is quoted, so an unquoted empty field means NULL and {@code ""} means the empty
 * string (read with {@code allow_quoted_nulls=false}). Datetimes and timespans are written as epoch
 * microseconds. Only the staged columns are written (those with a value in some row of the batch); the
 * last field of each line is the row sequence number.
 */
final class CsvBatchEncoder {
    private byte[] buffer = new byte[1 << 16];
    private int length;
    private int replacedNuls;
    private int replacedSurrogates;

    void encode(List<Row> rows, BitSet staged, long firstRowSequence) {
        length = 0;
        replacedNuls = 0;
        replacedSurrogates = 0;
        long sequence = firstRowSequence;
        for (Row row : rows) {
            for (int i = staged.nextSetBit(0); i >= 0; i = staged.nextSetBit(i + 1)) {
                writeValue(row.get(i));
                writeByte(',');
            }
            writeAscii(Long.toString(sequence++));
            writeByte('\n');
        }
    }

    /**
     * The columns with a value in some row. A wide table's rows fill a fraction of its columns (a sign-in
     * 27 of 81); the others are left out of the staged file and DuckDB stores them as null without
     * parsing a field per row.
     */
    static BitSet filledColumns(TableSchema table, List<Row> rows) {
        int width = table.columns().size();
        BitSet filled = new BitSet(width);
        for (Row row : rows) {
            for (int i = filled.nextClearBit(0); i < width; i = filled.nextClearBit(i + 1)) {
                if (row.get(i) != null) {
                    filled.set(i);
                }
            }
            if (filled.cardinality() == width) {
                break;
            }
        }
        return filled;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buffer, 0, length);
    }

    int size() {
        return length;
    }

    /** NUL characters of the last batch written as U+FFFD (the CSV reader would end the value there). */
    int replacedNuls() {
        return replacedNuls;
    }

    /** Unpaired surrogates of the last batch written as U+FFFD (they have no UTF-8 encoding). */
    int replacedSurrogates() {
        return replacedSurrogates;
    }

    private void writeValue(Object value) {
        switch (value) {
            case null -> {
                // an empty unquoted field is NULL
            }
            case String text -> writeQuoted(text);
            case Dynamic dynamic -> writeQuoted(dynamic.json());
            case Instant instant -> writeAscii(Long.toString(epochMicros(instant)));
            case Duration duration -> writeAscii(Long.toString(duration.toNanos() / 1000));
            case Double number -> writeAscii(doubleText(number));
            default -> writeAscii(value.toString());
        }
    }

    private static String doubleText(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            if (value > 0) {
                return "inf";
            }
            return "-inf";
        }
        return Double.toString(value);
    }

    static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    private void writeQuoted(String text) {
        // three bytes per char covers every case: a doubled quote is 2, a surrogate pair is 4 for 2 chars
        ensure(text.length() * 3 + 2);
        byte[] out = buffer;
        int position = length;
        out[position++] = '"';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c == '"') {
                    out[position++] = '"';
                } else if (c == 0) {
                    // DuckDB's CSV reader ends a value at NUL; keep the position visible instead
                    position = writeUtf8(out, position, '\uFFFD');
                    replacedNuls++;
                    continue;
                }
                out[position++] = (byte) c;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                out[position++] = (byte) (0xF0 | (codePoint >> 18));
                out[position++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                out[position++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                out[position++] = (byte) (0x80 | (codePoint & 0x3F));
            } else if (Character.isSurrogate(c)) {
                position = writeUtf8(out, position, '\uFFFD');
                replacedSurrogates++;
            } else {
                position = writeUtf8(out, position, c);
            }
        }
        out[position++] = '"';
        length = position;
    }

    private static int writeUtf8(byte[] out, int position, char c) {
        if (c < 0x800) {
            out[position++] = (byte) (0xC0 | (c >> 6));
            out[position++] = (byte) (0x80 | (c & 0x3F));
        } else {
            out[position++] = (byte) (0xE0 | (c >> 12));
            out[position++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            out[position++] = (byte) (0x80 | (c & 0x3F));
        }
        return position;
    }

    private void writeAscii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
    }

    private void writeByte(char c) {
        ensure(1);
        buffer[length++] = (byte) c;
    }

    /** Grows the buffer so that {@code extra} more bytes fit. */
    private void ensure(int extra) {
        long needed = (long) length + extra;
        if (needed > buffer.length) {
            long grown = Math.max(needed, (long) buffer.length * 2);
            if (grown > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("batch too large to encode: " + needed + " bytes");
            }
            buffer = Arrays.copyOf(buffer, (int) grown);
        }
    }
}
