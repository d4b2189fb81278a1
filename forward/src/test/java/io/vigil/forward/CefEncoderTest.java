package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.cef.CefFormat;
import io.vigil.formats.cef.CefParser;
import io.vigil.spi.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class CefEncoderTest {
    private final CefEncoder encoder = new CefEncoder("1");

    @Test
    void headerFieldsEscapePipeAndBackslashAndFlattenLineBreaks() {
        assertThat(CefEncoder.header("a|b\\c\nd\re", 100)).isEqualTo("a\\|b\\\\c d e");
    }

    @Test
    void extensionValuesEscapeEqualsBackslashAndLineBreaksButNotPipes() {
        assertThat(CefEncoder.extensionValue("x=1\\y|z\nw\rv", 100)).isEqualTo("x\\=1\\\\y|z\\nw\\rv");
    }

    @Test
    void unicodePassesThroughAndCutsNeverSplitASurrogatePair() {
        assertThat(CefEncoder.extensionValue("Zürich 東京", 100)).isEqualTo("Zürich 東京");
        // "a" then U+1F600 (two chars): a cut at 2 would split the pair
        assertThat(CefEncoder.extensionValue("a\uD83D\uDE00b", 2)).isEqualTo("a");
    }

    @Test
    void fieldsAreCutToTheSpecLengthsBeforeEscaping() {
        Row row = Rows.row("CommonSecurityLog")
                .set("TimeGenerated", Rows.TIME)
                .set("DeviceVendor", "v".repeat(70))
                .set("DeviceProduct", "p".repeat(70))
                .set("DeviceVersion", "9".repeat(40))
                .set("DeviceEventClassID", "c".repeat(1100))
                .set("Activity", "n".repeat(600))
                .set("Message", "=".repeat(1100))
                .build();
        CefParser.Event event = CefParser.parse(encoder.encode(row).substring("CEF:".length()));
        assertThat(event.header().get(1)).hasSize(CefEncoder.VENDOR_LIMIT);
        assertThat(event.header().get(2)).hasSize(CefEncoder.PRODUCT_LIMIT);
        assertThat(event.header().get(3)).hasSize(CefEncoder.VERSION_LIMIT);
        assertThat(event.header().get(4)).hasSize(CefEncoder.SIGNATURE_LIMIT);
        assertThat(event.header().get(5)).hasSize(CefEncoder.NAME_LIMIT);
        assertThat(event.extensions())
                .filteredOn(extension -> extension.key().equals("msg"))
                .singleElement()
                .satisfies(message -> assertThat(message.value()).isEqualTo("=".repeat(1023)));
    }

    @Test
    void commonSecurityLogRoundTripsThroughVigilsCefParser() {
        String received = "CEF:0|Palo|PAN-OS|10.1|threat|Pipe \\| and back\\\\slash|7|src=10.0.0.1 dst=10.0.0.2"
                + " spt=4444 dpt=443 suser=ACME\\\\alice act=blocked msg=line one\\nline two a\\=b | kept"
                + " request=https://x.test/?a\\=1&b\\=2 cs1Label=Rule cs1=Zürich 東京";
        List<Row> first = Rows.parse(new CefFormat(), received);
        assertThat(first).hasSize(1);

        String sent = encoder.encode(first.getFirst());
        List<Row> second = Rows.parse(new CefFormat(), sent);

        assertThat(second).hasSize(1);
        for (String column : List.of(
                "DeviceVendor",
                "DeviceProduct",
                "DeviceVersion",
                "DeviceEventClassID",
                "Activity",
                "LogSeverity",
                "SourceIP",
                "DestinationIP",
                "SourcePort",
                "DestinationPort",
                "SourceUserName",
                "DeviceAction",
                "Message",
                "RequestURL",
                "DeviceCustomString1",
                "DeviceCustomString1Label")) {
            assertThat(second.getFirst().get(column))
                    .as(column)
                    .isEqualTo(first.getFirst().get(column));
        }
        assertThat(second.getFirst().get("Message")).isEqualTo("line one\nline two a=b | kept");
        assertThat(second.getFirst().get("SourceUserName")).isEqualTo("ACME\\alice");
    }

    @Test
    void alertsMapNameTypeAndSeverityAndTheirKeys() {
        Row alert = Rows.row("SecurityAlert")
                .set("TimeGenerated", Rows.TIME)
                .set("AlertName", "Password spray | many users")
                .set("AlertType", "vigil.password_spray")
                .set("AlertSeverity", "High")
                .set("SystemAlertId", "0b0c6c4e-8f5a-4e34-9d5b-2f1f0c1a2b3c")
                .set("Description", "20 accounts\nfrom 203.0.113.7")
                .set("Tactics", "CredentialAccess")
                .set("CompromisedEntity", "contoso.com")
                .build();
        String text = encoder.encode(alert);
        assertThat(text)
                .startsWith("CEF:0|Vigil|Vigil|1|vigil.password_spray|Password spray \\| many users|8|rt=")
                .contains(" externalId=0b0c6c4e-8f5a-4e34-9d5b-2f1f0c1a2b3c ");

        Row parsed = Rows.parse(new CefFormat(), text).getFirst();
        assertThat(parsed.get("Message")).isEqualTo("20 accounts\nfrom 203.0.113.7");
        assertThat(parsed.get("DeviceEventCategory")).isEqualTo("CredentialAccess");
        assertThat(parsed.get("DestinationHostName")).isEqualTo("contoso.com");
        assertThat(parsed.get("LogSeverity")).isEqualTo("8");
    }

    @Test
    void sentinelSeveritiesMapOntoCefScale() {
        assertThat(List.of("Informational", "Low", "Medium", "High", "other"))
                .map(Severities::fromSentinel)
                .containsExactly(1, 3, 5, 8, 0);
        assertThat(List.of("Very-High", "high", "7", "42", "-1"))
                .map(Severities::fromCef)
                .containsExactly(10, 8, 7, 10, 0);
    }

    @Test
    void incidentsAndOtherTablesCarryTheirColumns() {
        Row incident = Rows.row("SecurityIncident")
                .set("TimeGenerated", Rows.TIME)
                .set("Title", "Spray then sign-in")
                .set("Severity", "Medium")
                .set("IncidentNumber", 42)
                .set("Status", "New")
                .build();
        assertThat(encoder.encode(incident))
                .startsWith("CEF:0|Vigil|Vigil|1|SecurityIncident|Spray then sign-in|5|")
                .contains(" externalId=42 ")
                .contains("cs2=New cs2Label=Status");

        Row syslog = Rows.row("Syslog")
                .set("TimeGenerated", Rows.TIME)
                .set("Computer", "web-1")
                .set("SyslogMessage", "a=b")
                .set("ProcessID", 7)
                .build();
        assertThat(encoder.encode(syslog))
                .isEqualTo("CEF:0|Vigil|Vigil|1|Syslog|Syslog|0|rt=" + Rows.TIME.toEpochMilli()
                        + " dvchost=web-1 ProcessID=7 SyslogMessage=a\\=b");
    }
}
