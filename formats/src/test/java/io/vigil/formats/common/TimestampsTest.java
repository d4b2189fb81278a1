package io.vigil.formats.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampsTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // Azure's seven fraction digits; the store keeps microseconds
                "2026-11-24T10:00:00.1234567Z|2026-11-24T10:00:00.123456700Z",
                "2026-11-24T10:00:00Z|2026-11-24T10:00:00Z",
                "2026-11-24 10:00:00|2026-11-24T10:00:00Z",
                "2026-11-24T12:00:00+02:00|2026-11-24T10:00:00Z",
                // storage resource logs' lastModifiedTime
                "2026/10/23 01:25:38.3886224|2026-10-23T01:25:38.388622400Z",
                // US forms of exports
                "11/24/2026 1:05:07 PM|2026-11-24T13:05:07Z",
                "'11/16/2020, 11:00:47.500 AM'|2020-11-16T11:00:47.500Z",
                // Event Hubs OperationalLogs' EventTimeString
                "11/3/2020 9:06:42 AM +00:00|2020-11-03T09:06:42Z",
                // Cisco UCS EventTime
                "2020 Sep  9 19:54:04|2020-09-09T19:54:04Z",
                "Wed, 25 Nov 2026 10:00:00 GMT|2026-11-25T10:00:00Z"
            })
    void parsesAzureSpellings(String text, String expected) {
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"yesterday", "2026-13-01T00:00:00Z", "''", "12:00"})
    void rejectsWhatIsNotATimestamp(String text) {
        assertThat(Timestamps.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"00:00:01.5|PT1.5S", "1.02:03:04|PT26H3M4S", "PT1H|PT1H", "-00:01:00|PT-1M"})
    void parsesTimespans(String text, String expected) {
        assertThat(Timestamps.parseTimespan(text)).isEqualTo(Duration.parse(expected));
    }

    /** The digit-by-digit path answers exactly as the formatters do, or leaves the text to them. */
    @Test
    void theFastIsoPathAgreesWithTheGeneralOne() {
        List<String> seeds = List.of(
                "2026-11-24T10:00:00.1234567Z",
                "2026-11-24t10:00:00z",
                "2026-11-24 10:00:00",
                "2026-11-24T10:00:00.5-03:30",
                "2026-11-24T10:00:00+14:00",
                "2024-02-29T23:59:59.999999999Z",
                "2023-02-29T00:00:00Z",
                "2026-04-31T00:00:00Z",
                "2026-11-24T24:00:00Z",
                "2026-11-24T10:60:00Z",
                "2026-11-24T10:00:60Z",
                "2026-11-24T10:00:00.Z",
                "2026-11-24T10:00:00.1234567890Z",
                "2026-11-24T10:00:00+2:00",
                "2026-11-24T10:00:00+19:00",
                "2026-11-24T10:00:00 Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z");
        List<String> samples = new ArrayList<>(seeds);
        Random random = new Random(42);
        String alphabet = "0123456789-:T. Z+";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            int edits = 1 + random.nextInt(2);
            for (int edit = 0; edit < edits; edit++) {
                int at = random.nextInt(text.length());
                if (Character.isDigit(text.charAt(at)) && random.nextInt(10) < 8) {
                    // mostly digit for digit, which keeps the shape and moves values across their ranges
                    text.setCharAt(at, (char) ('0' + random.nextInt(10)));
                } else {
                    text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            samples.add(text.toString());
        }
        int fast = 0;
        for (String sample : samples) {
            Instant quick = Timestamps.parseIsoFast(sample);
            if (quick != null) {
                fast++;
                assertThat(quick).as(sample).isEqualTo(Timestamps.parseGeneral(sample));
            }
        }
        assertThat(Timestamps.parseIsoFast("2026-11-24T10:00:00.1234567Z")).isNotNull();
        assertThat(fast).as("mutated samples the fast path took").isGreaterThan(1_000);
    }
}
