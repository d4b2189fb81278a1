package io.vigil.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimespanTextTest {
    @Test
    void duckDbIntervalsParse() {
        assertThat(TimespanText.parseInterval("1 day 02:00:00.5")).isEqualTo(Duration.parse("PT26H0.5S"));
        assertThat(TimespanText.parseInterval("-00:00:01")).isEqualTo(Duration.ofSeconds(-1));
        assertThat(TimespanText.parseInterval("1 mon")).isEqualTo(Duration.ofDays(30));
        assertThat(TimespanText.parseInterval("2 years")).isEqualTo(Duration.ofDays(720));
    }

    @Test
    void timespansPrintAsKqlDoes() {
        assertThat(TimespanText.format(Duration.ofHours(26).plusMillis(3))).isEqualTo("1.02:00:00.0030000");
        assertThat(TimespanText.format(Duration.ofSeconds(-90))).isEqualTo("-00:01:30");
        assertThat(TimespanText.format(Duration.ZERO)).isEqualTo("00:00:00");
    }

    @Test
    void requestTimespansBecomeWindows() {
        Instant now = Instant.parse("2026-01-11T00:00:00Z");

        assertThat(Timespans.parse("PT1H", now))
                .hasValue(new QueryParameters.TimeWindow(Instant.parse("2026-01-10T23:00:00Z"), now));
        assertThat(Timespans.parse("2026-01-10T00:00:00Z/PT2H", now))
                .hasValue(new QueryParameters.TimeWindow(
                        Instant.parse("2026-01-10T00:00:00Z"), Instant.parse("2026-01-10T02:00:00Z")));
        assertThat(Timespans.parse("P1D/2026-01-10T00:00:00", now))
                .hasValue(new QueryParameters.TimeWindow(
                        Instant.parse("2026-01-09T00:00:00Z"), Instant.parse("2026-01-10T00:00:00Z")));
        assertThat(Timespans.parse("soon", now)).isEmpty();
    }
}
