package io.vigil.formats.datacollector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.catalog.TableCatalog;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Data Collector body parse: typing, repeated keys, nested values, refusals, without the HTTP layer. */
class DataCollectorFormatTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-25T12:00:00Z");

    private final TableCatalog catalog = TableCatalog.builtIn();
    private final List<Row> rows = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<String> repairs = new ArrayList<>();
    private final RecordSink sink = new RecordSink() {
        @Override
        public void row(Row row) {
            rows.add(row);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            deadLetters.add(deadLetter);
        }

        @Override
        public void repaired(String reason) {
            repairs.add(reason);
        }
    };

    /** As the store does it: creates the table, or adds the columns it lacks. */
    private TableSchema ensure(TableSchema requested) {
        Optional<TableSchema> existing = catalog.table(requested.name());
        if (existing.isEmpty()) {
            catalog.putCustom(requested);
        } else {
            List<Column> columns = new ArrayList<>(existing.get().columns());
            for (Column column : requested.columns()) {
                if (existing.get().indexOf(column.name()) < 0) {
                    columns.add(column);
                }
            }
            catalog.putCustom(new TableSchema(requested.name(), columns));
        }
        return catalog.require(requested.name());
    }

    private DataCollectorFormat parse(String body, Optional<String> timeField) {
        DataCollectorFormat format = new DataCollectorFormat("Probe", timeField, RECEIVED, this::ensure);
        format.parse(
                "test", body.getBytes(UTF_8), ParseContext.of(catalog, Clock.fixed(RECEIVED, ZoneOffset.UTC)), sink);
        return format;
    }

    @Test
    void typesPropertiesAndKeepsTheLastOfARepeatedKey() {
        DataCollectorFormat format = parse(
                "[{\"Name\":\"a\",\"Count\":3,\"Big\":12345678901,\"Ratio\":0.5,\"Ok\":true,"
                        + "\"Id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"At\":\"2026-11-25T10:00:00Z\","
                        + "\"Nested\":{\"x\":[1,2]},\"Gone\":null,\"Name\":\"b\",\"bad key\":\"k\"},"
                        + "{\"Name\":null,\"Name\":\"c\",\"Count\":\"not a number\"}]",
                Optional.empty());

        assertThat(format.rejection()).isEmpty();
        assertThat(deadLetters).isEmpty();
        assertThat(rows).hasSize(2);
        Row first = rows.get(0);
        TableSchema table = first.table();
        assertThat(table.name()).isEqualTo("Probe_CL");
        assertThat(first.get("Name_s")).isEqualTo("b");
        assertThat(first.get("Count_d")).isEqualTo(3.0);
        assertThat(first.get("Big_d")).isEqualTo(12345678901.0);
        assertThat(first.get("Ratio_d")).isEqualTo(0.5);
        assertThat(first.get("Ok_b")).isEqualTo(true);
        assertThat(first.get("Id_g")).isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(first.get("At_t")).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(first.get("Nested_s")).isEqualTo("{\"x\":[1,2]}");
        assertThat(first.get("bad_key_s")).isEqualTo("k");
        assertThat(table.indexOf("Gone_s")).isNegative();
        assertThat(first.get("TimeGenerated")).isEqualTo(RECEIVED);
        assertThat(first.get("Type")).isEqualTo("Probe_CL");
        Row second = rows.get(1);
        assertThat(second.get("Name_s")).isEqualTo("c");
        // a text that is not a number does not fit Count_d: it gets its own string column
        assertThat(second.get("Count_s")).isEqualTo("not a number");
        assertThat(second.get("Count_d")).isNull();
        assertThat(table.column("Count_s").orElseThrow().type()).isEqualTo(ColumnType.STRING);
    }

    @Test
    void aValueGoesToAnExistingColumnItConvertsTo() {
        parse("[{\"Level\":\"3\"}]", Optional.empty());
        parse("[{\"Level\":4}]", Optional.empty());

        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).table().indexOf("Level_d")).isNegative();
        assertThat(rows.get(1).get("Level_s")).isEqualTo("4");
    }

    @Test
    void timeGeneratedFieldIsReadFromTheRawValue() {
        parse("{\"When\":\"2026-11-25T11:30:00Z\",\"Msg\":\"one object\"}", Optional.of("When"));
        parse("[{\"When\":\"2020-01-01T00:00:00Z\"},{\"When\":{\"not\":\"text\"}}]", Optional.of("When"));

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("TimeGenerated")).isEqualTo(Instant.parse("2026-11-25T11:30:00Z"));
        // too old, and not text: the time of receipt
        assertThat(rows.get(1).get("TimeGenerated")).isEqualTo(RECEIVED);
        assertThat(rows.get(2).get("TimeGenerated")).isEqualTo(RECEIVED);
    }

    @Test
    void longTextIsTruncatedAndCounted() {
        parse("[{\"Big\":\"" + "x".repeat(DataCollectorFormat.MAX_FIELD_CHARS + 10) + "\"}]", Optional.empty());

        assertThat(rows.get(0).get("Big_s")).asString().hasSize(DataCollectorFormat.MAX_FIELD_CHARS);
        assertThat(repairs).containsExactly("field_truncated");
    }

    @Test
    void refusesTheWholeBody() {
        assertRefused("[{\"a\":1},{\"a\":", DeadLetterReason.INVALID_JSON, "the body is not valid JSON");
        // a syntax error after a record that is not an object is still a syntax error
        assertRefused("[{\"a\":1},2,{\"a\":}]", DeadLetterReason.INVALID_JSON, "the body is not valid JSON");
        assertRefused(
                "[{\"a\":1},2,{\"a\":3}]", DeadLetterReason.UNKNOWN_RECORD_SHAPE, "record 1 is not a JSON object");
        assertRefused("\"text\"", DeadLetterReason.UNKNOWN_RECORD_SHAPE, "the body must be a JSON array");
        assertRefused("\"unterminated", DeadLetterReason.INVALID_JSON, "the body is not valid JSON");
        assertRefused("", DeadLetterReason.UNKNOWN_RECORD_SHAPE, "the body must be a JSON array");
    }

    @Test
    void aBodyThatWouldPassTheColumnLimitNamesTheRecordAndPropertyThatWould() {
        StringBuilder wide = new StringBuilder("[{\"a\":1},{");
        // TenantId, TimeGenerated and Type, the first record's a_d, then 497 more: the 497th is the 501st column
        for (int i = 0; i < 497; i++) {
            if (i > 0) {
                wide.append(',');
            }
            wide.append("\"p").append(i).append("\":\"v\"");
        }
        wide.append("}]");
        assertRefused(
                wide.toString(),
                DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                "record 1, property 'p496' (column p496_s) would take table Probe_CL to 501 columns, more than"
                        + " the limit of 500");
    }

    private void assertRefused(String body, DeadLetterReason reason, String detail) {
        rows.clear();
        deadLetters.clear();
        DataCollectorFormat format = parse(body, Optional.empty());
        assertThat(rows).as(body).isEmpty();
        assertThat(deadLetters).as(body).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(reason);
            assertThat(letter.detail()).startsWith(detail);
        });
        assertThat(format.rejection())
                .as(body)
                .hasValueSatisfying(text -> assertThat(text).startsWith(detail));
    }

    @Test
    void hostWrittenMatchersAgreeWithTheDocumentedPatterns() {
        Pattern iso =
                Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}:\\d{2})?");
        Pattern guid = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        Pattern notName = Pattern.compile("[^A-Za-z0-9_]");
        List<String> samples = List.of(
                "",
                "2026-11-25T10:00",
                "2026-11-25T10:00Z",
                "2026-11-25T10:00:01",
                "2026-11-25T10:00:01.5",
                "2026-11-25T10:00:01.123456789Z",
                "2026-11-25T10:00:01.1234567890Z",
                "2026-11-25T10:00:01.Z",
                "2026-11-25T10:00:01+05:30",
                "2026-11-25T10:00:01-0530",
                "2026-11-25T10:00:01z",
                "2026-11-25T10:00:1",
                "2026-11-25t10:00:01",
                "2026-11-25 10:00:01",
                "2026-11-25T10:00:01Zx",
                "0f8fad5b-d9cb-469f-a165-70867728950e",
                "0F8FAD5B-D9CB-469F-A165-70867728950E",
                "0f8fad5b-d9cb-469f-a165-70867728950",
                "0f8fad5bxd9cb-469f-a165-70867728950e",
                "0g8fad5b-d9cb-469f-a165-70867728950e",
                "a b",
                "9lives",
                "ünï-cödé",
                "emoji \uD83D\uDE00 key",
                "_ok_1");
        for (String sample : samples) {
            assertThat(DataCollectorFormat.isIsoDateTime(sample))
                    .as(sample)
                    .isEqualTo(iso.matcher(sample).matches());
            assertThat(DataCollectorFormat.isGuid(sample))
                    .as(sample)
                    .isEqualTo(guid.matcher(sample).matches());
            String name = notName.matcher(sample).replaceAll("_");
            if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
                name = "_" + name;
            }
            assertThat(DataCollectorFormat.propertyName(sample)).as(sample).isEqualTo(name);
        }
    }
}
