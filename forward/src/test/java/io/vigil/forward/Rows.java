package io.vigil.forward;

import io.vigil.catalog.TableCatalog;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Rows of the built-in tables, and Vigil's own parsers reading encoded text back. */
final class Rows {
    static final TableCatalog CATALOG = TableCatalog.builtIn();
    static final Instant TIME = Instant.parse("2026-11-25T12:00:00.123Z");

    private Rows() {}

    static Row.Builder row(String table) {
        return CATALOG.require(table).newRow();
    }

    /** Parses text with a format and returns its rows; a dead letter fails the test. */
    static List<Row> parse(LogFormat format, String text) {
        List<Row> rows = new ArrayList<>();
        RecordSink sink = new RecordSink() {
            @Override
            public void row(Row row) {
                rows.add(row);
            }

            @Override
            public void deadLetter(DeadLetter deadLetter) {
                throw new AssertionError("dead letter " + deadLetter.reason() + ": " + deadLetter.detail());
            }
        };
        format.parse(
                "test",
                text.getBytes(StandardCharsets.UTF_8),
                ParseContext.of(CATALOG, Clock.fixed(TIME, ZoneOffset.UTC)),
                sink);
        return rows;
    }
}
