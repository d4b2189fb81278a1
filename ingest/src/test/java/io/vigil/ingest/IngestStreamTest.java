package io.vigil.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.formats.LogFormats;
import io.vigil.metrics.Metrics;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's road for message streams counts what it commits under the same counters and labels as
 * a whole input through {@link IngestPipeline#ingest}: one set of counters, whichever road.
 */
class IngestStreamTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path temp;

    @Test
    void streamedMessagesAreStoredAndCountedLikeAWholeInput() throws Exception {
        Metrics metrics = new Metrics();
        TestingClock clock = new TestingClock(NOW);
        try (DuckDbStore store = DuckDbStore.open(temp, StoreOptions.DEFAULT, clock, metrics)) {
            IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, metrics);
            IngestInput input = new IngestInput("syslog_tcp", "edge");
            TableSchema syslog = store.catalog().require("Syslog");
            try (IngestStream stream = pipeline.openStream(input, 2, Duration.ofMillis(5))) {
                for (int i = 0; i < 5; i++) {
                    Row row = syslog.newRow().set("SyslogMessage", "m" + i).build();
                    stream.add(List.of(row), List.of(), "syslog_rfc5424");
                }
                stream.add(
                        List.of(),
                        List.of(new DeadLetter(
                                "syslog:127.0.0.1",
                                "syslog_rfc3164",
                                DeadLetterReason.OVERSIZE,
                                "too long",
                                "<13>x".getBytes(UTF_8))),
                        "syslog_rfc3164");
            }
            // the same input through the whole-input road, for comparison of names and labels
            pipeline.ingest(input, "file", "not a log".getBytes(UTF_8), Optional.empty());

            assertThat(store.rowCounts().get("Syslog")).isEqualTo(5);
            assertThat(store.rowCounts().get("VigilDeadLetter")).isEqualTo(2);
            String[] labels = {"input", "syslog_tcp", "source", "edge"};
            assertThat(metrics.value("events_received_total", with(labels, "format", "syslog_rfc5424")))
                    .isEqualTo(5);
            assertThat(metrics.value(
                            "events_failed_total", with(labels, "format", "syslog_rfc3164", "reason", "oversize")))
                    .isEqualTo(1);
            assertThat(metrics.value("events_failed_total", with(labels, "format", "", "reason", "unknown_format")))
                    .isEqualTo(1);
        }
    }

    @Test
    void aClosedStreamRefusesMore() throws Exception {
        Metrics metrics = new Metrics();
        TestingClock clock = new TestingClock(NOW);
        try (DuckDbStore store = DuckDbStore.open(temp, StoreOptions.DEFAULT, clock, metrics)) {
            IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, metrics);
            IngestStream stream = pipeline.openStream(IngestInput.of("syslog_udp"), 10, Duration.ofMillis(5));
            stream.close();
            Row row = store.catalog().require("Syslog").newRow().build();
            assertThatThrownBy(() -> stream.add(List.of(row), List.of(), "syslog_rfc3164"))
                    .isInstanceOf(VigilException.class)
                    .hasMessageContaining("closed");
        }
    }

    private static String[] with(String[] labels, String... more) {
        String[] all = new String[labels.length + more.length];
        System.arraycopy(labels, 0, all, 0, labels.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }
}
