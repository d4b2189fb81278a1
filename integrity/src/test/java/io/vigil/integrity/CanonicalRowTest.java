package io.vigil.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalRowTest {
    private static final TableSchema TABLE = new TableSchema(
            "Sample_CL",
            List.of(
                    new Column("TimeGenerated", ColumnType.DATETIME),
                    new Column("Name", ColumnType.STRING),
                    new Column("Count", ColumnType.LONG),
                    new Column("Ratio", ColumnType.REAL),
                    new Column("Elapsed", ColumnType.TIMESPAN),
                    new Column("Bag", ColumnType.DYNAMIC)));

    private static Row row(String name, String bag) {
        return TABLE.newRow()
                .set("TimeGenerated", Instant.parse("2026-11-25T12:00:00.123456Z"))
                .set("Name", name)
                .set("Count", 3L)
                .set("Ratio", 0.5)
                .set("Elapsed", Duration.ofMillis(1500))
                .set("Bag", new Dynamic(bag))
                .build();
    }

    @Test
    void dynamicValuesHashByMeaningNotSpelling() {
        assertThat(CanonicalJson.canonical(" {\"b\": [1.0, 2e0, -0.0], \"a\": {\"y\": null, \"x\": \"\\u0041\"}} "))
                .isEqualTo("{\"a\":{\"x\":\"A\",\"y\":null},\"b\":[1,2,0]}");
        assertThat(CanonicalRow.hash(row("alice", "{\"a\":1,\"b\":true}")))
                .isEqualTo(CanonicalRow.hash(row("alice", "{ \"b\": true, \"a\": 1.00 }")));
        assertThat(CanonicalRow.hash(row("alice", "{\"a\":1}")))
                .isNotEqualTo(CanonicalRow.hash(row("alice", "{\"a\":2}")));
    }

    @Test
    void textThatIsNotJsonCannotPassForAJsonString() {
        assertThat(CanonicalJson.canonical("not json")).isNotEqualTo(CanonicalJson.canonical("\"not json\""));
    }

    @Test
    void nullAndEmptyAreDifferentAndEveryColumnCounts() {
        Row empty = row("", "{}");
        Row absent = TABLE.newRow()
                .set("TimeGenerated", Instant.parse("2026-11-25T12:00:00.123456Z"))
                .set("Count", 3L)
                .set("Ratio", 0.5)
                .set("Elapsed", Duration.ofMillis(1500))
                .set("Bag", new Dynamic("{}"))
                .build();
        assertThat(CanonicalRow.hash(empty)).isNotEqualTo(CanonicalRow.hash(absent));
        assertThat(CanonicalRow.hash(row("alice", "{}"))).isNotEqualTo(CanonicalRow.hash(row("alicf", "{}")));
        assertThat(CanonicalRow.hash(row("alice", "{}").with(3, 0.25)))
                .isNotEqualTo(CanonicalRow.hash(row("alice", "{}")));
    }

    @Test
    void theEncodingIsFixedByTheDocumentedLayout() {
        // one column: name, type name, the present tag, the value as microseconds since the epoch
        TableSchema oneColumn = new TableSchema("T", List.of(new Column("TimeGenerated", ColumnType.DATETIME)));
        Row row = oneColumn.newRow().set(0, Instant.ofEpochSecond(1, 2000)).build();
        String expected = "vigil-row-v1" + "\0\0\0\1T" + "\0\0\0\1" + "\0\0\0\rTimeGenerated" + "\0\0\0\bdatetime"
                + "\1" + "\0\0\0\0\0\17\102\102";
        assertThat(CanonicalRow.encode(row)).isEqualTo(expected.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
