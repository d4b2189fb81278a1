package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.formats.cef.LeefFormat;
import io.vigil.spi.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeefEncoderTest {
    private static Row firewall() {
        return Rows.row("CommonSecurityLog")
                .set("TimeGenerated", Rows.TIME)
                .set("DeviceVendor", "Pipe|Co")
                .set("DeviceProduct", "Wall\\2")
                .set("DeviceVersion", "3.0")
                .set("DeviceEventClassID", "deny")
                .set("Activity", "deny")
                .set("LogSeverity", "7")
                .set("SourceIP", "10.0.0.1")
                .set("DestinationIP", "10.0.0.2")
                .set("SourcePort", 4444)
                .set("SourceUserName", "alice")
                .set("Message", "tab\there\nnext a=b ^ caret")
                .build();
    }

    @Test
    void headerEscapesPipeAndBackslash() {
        assertThat(LeefEncoder.header("a|b\\c\nd")).isEqualTo("a\\|b\\\\c d");
    }

    @Test
    void valuesCannotCarryTheDelimiterOrLineBreaksAndKeepEquals() {
        assertThat(LeefEncoder.value("a\tb\nc\rd=e^f", '\t')).isEqualTo("a b c d=e^f");
        assertThat(LeefEncoder.value("a\tb^c", '^')).isEqualTo("a\tb c");
        assertThat(LeefEncoder.value("x".repeat(5000), '\t')).hasSize(LeefEncoder.VALUE_LIMIT);
    }

    @Test
    void version2NamesItsDelimiterAndRoundTripsThroughVigilsLeefParser() {
        String text = new LeefEncoder("1", LeefEncoder.Version.V2, '^').encode(firewall());
        assertThat(text)
                .startsWith("LEEF:2.0|Pipe\\|Co|Wall\\\\2|3.0|deny|x5E|sev=7^devTime=2026-11-25T12:00:00.123+0000^");

        Row parsed = Rows.parse(new LeefFormat(), text).getFirst();
        assertThat(parsed.get("DeviceVendor")).isEqualTo("Pipe|Co");
        assertThat(parsed.get("DeviceProduct")).isEqualTo("Wall\\2");
        assertThat(parsed.get("DeviceEventClassID")).isEqualTo("deny");
        assertThat(parsed.get("LogSeverity")).isEqualTo("7");
        assertThat(parsed.get("SourceIP")).isEqualTo("10.0.0.1");
        assertThat(parsed.get("DestinationIP")).isEqualTo("10.0.0.2");
        assertThat(parsed.get("SourcePort")).isEqualTo(4444);
        assertThat(parsed.get("SourceUserName")).isEqualTo("alice");
        assertThat(parsed.get("TimeGenerated")).isEqualTo(Rows.TIME);
    }

    @Test
    void version1UsesTabsAndRoundTrips() {
        String text = new LeefEncoder("1", LeefEncoder.Version.V1, '\t').encode(firewall());
        assertThat(text).startsWith("LEEF:1.0|Pipe\\|Co|Wall\\\\2|3.0|deny|sev=7\tdevTime=");
        assertThat(text).doesNotContain("\n").contains("tab here next a=b ^ caret");

        List<Row> parsed = Rows.parse(new LeefFormat(), text);
        assertThat(parsed).singleElement().satisfies(row -> {
            assertThat(row.get("DestinationIP")).isEqualTo("10.0.0.2");
            assertThat(row.get("TimeGenerated")).isEqualTo(Rows.TIME);
        });
    }

    @Test
    void aDelimiterThatLeefCannotUseIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> new LeefEncoder("1", LeefEncoder.Version.V2, '='))
                .hasMessageContaining("delimiter");
        assertThatThrownBy(() -> new LeefEncoder("1", LeefEncoder.Version.V1, '^'))
                .hasMessageContaining("tab");
    }
}
