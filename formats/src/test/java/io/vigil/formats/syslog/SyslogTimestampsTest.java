package io.vigil.formats.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.catalog.TableCatalog;
import io.vigil.formats.common.RowJson;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.testing.TestingClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Year-less RFC 3164 timestamps, resolved in a zone that is not UTC (as the build's test zone is). */
class SyslogTimestampsTest {
    private static final ZoneId BAHIA_BANDERAS = ZoneId.of("America/Bahia_Banderas");

    @Test
    void localTimeInTheSendersZone() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        Instant resolved = SyslogTimestamps.resolveYearless(11, 25, LocalTime.of(5, 0), now, BAHIA_BANDERAS);
        // Bahia de Banderas is UTC-6 all year since 2022
        assertThat(resolved).isEqualTo(Instant.parse("2026-11-25T11:00:00Z"));
    }

    @Test
    void moreThanADayAheadMeansLastYear() {
        Instant now = Instant.parse("2026-01-01T05:00:00Z"); // 31 Dec 2025, 23:00 local
        assertThat(SyslogTimestamps.resolveYearless(12, 31, LocalTime.of(22, 59), now, BAHIA_BANDERAS))
                .isEqualTo(Instant.parse("2026-01-01T04:59:00Z"));
        assertThat(SyslogTimestamps.resolveYearless(1, 1, LocalTime.of(0, 30), now, BAHIA_BANDERAS))
                .as("half an hour ahead of the local clock is this (local) new year")
                .isEqualTo(Instant.parse("2026-01-01T06:30:00Z"));
        assertThat(SyslogTimestamps.resolveYearless(1, 3, LocalTime.of(0, 0), now, BAHIA_BANDERAS))
                .as("two days ahead: last year")
                .isEqualTo(Instant.parse("2025-01-03T06:00:00Z"));
    }

    @Test
    void leapDayGoesBackToALeapYear() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        assertThat(SyslogTimestamps.resolveYearless(2, 29, LocalTime.NOON, now, BAHIA_BANDERAS))
                .isEqualTo(Instant.parse("2024-02-29T18:00:00Z"));
    }

    @Test
    void spacePaddedAndUnpaddedDays() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        assertThat(SyslogTimestamps.parseBsd("Oct  1 08:00:00 host", 0, now, BAHIA_BANDERAS)
                        .instant())
                .isEqualTo(Instant.parse("2026-10-01T14:00:00Z"));
        assertThat(SyslogTimestamps.parseBsd("Oct 1 08:00:00 host", 0, now, BAHIA_BANDERAS)
                        .instant())
                .isEqualTo(Instant.parse("2026-10-01T14:00:00Z"));
        assertThat(SyslogTimestamps.parseBsd("Oct 32 08:00:00 host", 0, now, BAHIA_BANDERAS))
                .isNull();
        assertThat(SyslogTimestamps.parseBsd("Foo  1 08:00:00 host", 0, now, BAHIA_BANDERAS))
                .isNull();
    }

    @Test
    void formatUsesTheContextZoneAndClock() {
        ParseContext context = new ParseContext(
                TableCatalog.builtIn(),
                new TestingClock(Instant.parse("2026-11-25T12:00:00Z"), BAHIA_BANDERAS),
                BAHIA_BANDERAS,
                ParseContext.DEFAULT_MAX_RECORD_BYTES);
        Collecting sink = new Collecting();
        new SyslogRfc3164Format()
                .parseMessage(
                        "<38>Dec 24 10:00:00 web01 login[1]: hello".getBytes(StandardCharsets.UTF_8),
                        "192.0.2.7",
                        context,
                        sink);
        assertThat(sink.rows).hasSize(1);
        String json = RowJson.toJson(sink.rows.get(0)).toString();
        assertThat(json)
                .contains("\"EventTime\":\"2025-12-24T16:00:00Z\"")
                .contains("\"HostIP\":\"192.0.2.7\"")
                .contains("\"Computer\":\"web01\"");
    }

    private static final class Collecting implements RecordSink {
        final List<Row> rows = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();

        @Override
        public void row(Row row) {
            rows.add(row);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            deadLetters.add(deadLetter);
        }
    }
}
