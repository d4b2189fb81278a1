package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.Column;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The canonical encoding of one row (docs/integrity.md, "Row encoding"), and its SHA-256. Every column in
 * the table's schema order, each as its name, its KQL type name and its value with an explicit null tag;
 * integers big-endian, reals as their IEEE 754 bits, datetimes and timespans in microseconds (what the
 * store keeps), strings in UTF-8 with a length, dynamic values as {@link CanonicalJson}.
 */
final class CanonicalRow {
    private static final byte[] DOMAIN = "vigil-row-v1".getBytes(StandardCharsets.US_ASCII);

    private CanonicalRow() {}

    static byte[] encode(Row row) {
        requireNonNull(row, "row is null");
        TableSchema table = row.table();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * table.columnCount());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(DOMAIN);
            text(out, table.name());
            out.writeInt(table.columnCount());
            for (int i = 0; i < table.columnCount(); i++) {
                Column column = table.columns().get(i);
                text(out, column.name());
                text(out, column.type().kqlName());
                Object value = row.get(i);
                if (value == null) {
                    out.writeByte(0);
                    continue;
                }
                out.writeByte(1);
                switch (column.type()) {
                    case STRING, GUID -> text(out, (String) value);
                    case INT -> out.writeInt((Integer) value);
                    case LONG -> out.writeLong((Long) value);
                    case REAL -> out.writeLong(Double.doubleToLongBits((Double) value));
                    case BOOL -> out.writeByte(((Boolean) value) ? 1 : 0);
                    case DATETIME -> out.writeLong(epochMicros((Instant) value));
                    case TIMESPAN -> out.writeLong(micros((Duration) value));
                    case DYNAMIC -> text(out, CanonicalJson.canonical(((Dynamic) value).json()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] hash(Row row) {
        return Digests.sha256(encode(row));
    }

    static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    private static long micros(Duration duration) {
        return Math.addExact(Math.multiplyExact(duration.getSeconds(), 1_000_000L), duration.getNano() / 1000);
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
