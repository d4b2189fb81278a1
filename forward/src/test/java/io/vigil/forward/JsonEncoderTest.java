package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import org.junit.jupiter.api.Test;

class JsonEncoderTest {
    @Test
    void aRowIsOneLineOfJsonWithTypedValues() {
        Row row = Rows.row("SigninLogs")
                .set("TimeGenerated", Rows.TIME)
                .set("UserPrincipalName", "a\"b\nc")
                .set("DeviceDetail", new Dynamic("{\n  \"os\": \"Linux\"\n}"))
                .build();
        String text = new JsonEncoder().encode(row);
        assertThat(text)
                .doesNotContain("\n")
                .startsWith("{\"DeviceDetail\":{   \"os\": \"Linux\" },\"TimeGenerated\":\"2026-11-25T12:00:00.123Z\"")
                .contains("\"UserPrincipalName\":\"a\\\"b\\nc\"")
                .endsWith("\"Type\":\"SigninLogs\"}");
    }

    @Test
    void theSyslogHeaderCarriesPriorityTimeHostAndTable() {
        SyslogHeader header = new SyslogHeader(10, "vigil-1");
        assertThat(header.format(8, Rows.TIME, "SecurityAlert", "x"))
                .isEqualTo("<83>1 2026-11-25T12:00:00.123Z vigil-1 vigil - SecurityAlert - x");
        assertThat(header.format(0, Rows.TIME, "A".repeat(40), "x")).contains(" " + "A".repeat(32) + " - x");
    }
}
