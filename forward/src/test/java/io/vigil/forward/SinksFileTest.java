package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.spi.CommitStream.SubscriptionStart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinksFileTest {
    @TempDir
    Path dataDir;

    @Test
    void sinksSurviveAWriteAndARead() throws Exception {
        assertThat(SinksFile.load(dataDir)).isEmpty();
        SinkConfig qradar = SinksFile.parse(
                "qradar", "syslog_leef", "siem.example:6514", "tls", "lf", List.of("alerts", "incidents"), "latest");
        SinkConfig arcsight = SinksFile.parse(
                "arcsight",
                "syslog_cef",
                "[::1]:514",
                "tcp",
                "octet_counting",
                List.of("table:CommonSecurityLog"),
                "earliest");
        SinksFile.save(dataDir, List.of(qradar, arcsight));

        assertThat(SinksFile.load(dataDir)).containsExactly(qradar, arcsight);
        assertThat(qradar.framing()).isEqualTo(Framing.OCTET_COUNTING);
        assertThat(arcsight.start()).isEqualTo(SubscriptionStart.EARLIEST);
        assertThat(Files.readString(dataDir.resolve(SinksFile.NAME))).contains("\"endpoint\" : \"[::1]:514\"");
    }

    @Test
    void aBadEntryStopsTheLoadNamingTheSink() throws Exception {
        Files.writeString(
                dataDir.resolve(SinksFile.NAME),
                "{\"sinks\":[{\"name\":\"elk\",\"type\":\"syslog_cef\",\"endpoint\":\"elk:99999\",\"routes\":[\"alerts\"]}]}");
        assertThatThrownBy(() -> SinksFile.load(dataDir))
                .hasMessageContaining("sink 'elk'")
                .hasMessageContaining("port 1-65535");
    }
}
