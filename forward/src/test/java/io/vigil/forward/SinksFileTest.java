package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.spi.CommitStream.SubscriptionStart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    void httpSinksKeepTheirUrlAndSecretFileButNeverTheSecret() throws Exception {
        Path token = Files.writeString(dataDir.resolve("hec.token"), "a-secret-token\n");
        SinkConfig splunk = SinksFile.parse(
                "splunk", "splunk_hec", "https://splunk.example:8088", "tcp", "lf", List.of("table:Syslog"), "latest");
        splunk = splunk.withHttp(splunk.http()
                .orElseThrow()
                .withSecretFile(java.util.Optional.of(token))
                .withIndexerAck(true)
                .withBatchEvents(100));
        SinkConfig hook = SinksFile.parse(
                "hook", "webhook", "https://hooks.example/vigil?team=soc", "tcp", "lf", List.of("alerts"), "earliest");
        hook = hook.withHttp(hook.http()
                .orElseThrow()
                .withSecretFile(java.util.Optional.of(token))
                .withPayload(HttpSinkSettings.Payload.AZURE_COMMON_ALERT));
        SinksFile.save(dataDir, List.of(splunk, hook));

        assertThat(SinksFile.load(dataDir)).containsExactly(splunk, hook);
        String file = Files.readString(dataDir.resolve(SinksFile.NAME));
        assertThat(file)
                .contains("\"endpoint\" : \"https://hooks.example/vigil?team=soc\"")
                .contains("\"payload\" : \"azure_common_alert\"")
                .contains("\"secretFile\" : \"" + token + "\"")
                .doesNotContain("a-secret-token");
        assertThat(splunk.transport()).isEqualTo(TransportKind.TLS);
        assertThat(splunk.endpointText()).isEqualTo("https://splunk.example:8088");

        // the token file gone: the next load refuses the sink, naming it
        Files.delete(token);
        assertThatThrownBy(() -> SinksFile.load(dataDir))
                .hasMessageContaining("sink 'splunk'")
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aRouteKeepsItsFilter() throws Exception {
        SinkConfig filtered = SinksFile.parse(
                "elastic",
                "syslog_json",
                "elk.example:514",
                "tcp",
                "lf",
                List.of("alerts", "table:SigninLogs"),
                Map.of("table:SigninLogs", "where ResultType != \"0\" | project UserPrincipalName"),
                "latest");
        SinksFile.save(dataDir, List.of(filtered));

        SinkConfig loaded = SinksFile.load(dataDir).getFirst();
        assertThat(loaded).isEqualTo(filtered);
        assertThat(loaded.route().filter("signinlogs"))
                .contains("where ResultType != \"0\" | project UserPrincipalName");
        assertThat(loaded.route().filter("SecurityAlert")).isEmpty();
        assertThat(Files.readString(dataDir.resolve(SinksFile.NAME)))
                .contains("\"route\" : \"table:SigninLogs\"")
                .contains("\"alerts\"");
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
