package io.vigil.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyslogRouterTest {
    @Test
    void cefAndLeefAfterEitherSyslogHeaderOrBare() {
        assertThat(route("<134>Oct 11 22:14:15 fw01 CEF:0|Vendor|Product|1|100|name|5|src=10.0.0.1"))
                .isEqualTo(SyslogRoute.CEF);
        assertThat(route("<134>Oct  1 22:14:15 fw01 app: CEF:0|V|P|1|100|n|5|")).isEqualTo(SyslogRoute.CEF);
        assertThat(route("<134>2026-11-25T10:00:00Z fw01 CEF:0|V|P|1|100|n|5|")).isEqualTo(SyslogRoute.CEF);
        assertThat(route("CEF:0|V|P|1|100|n|5|")).isEqualTo(SyslogRoute.CEF);
        assertThat(route("<134>1 2026-11-25T10:00:00Z fw01 app - - [a@1 x=\"]\\\"[\"] CEF:0|V|P|1|1|n|5|"))
                .isEqualTo(SyslogRoute.CEF);
        assertThat(route("<134>1 2026-11-25T10:00:00Z fw01 app - - - \uFEFFLEEF:2.0|V|P|1|E|^|a=b"))
                .isEqualTo(SyslogRoute.LEEF);
        assertThat(route("<13>Oct 11 22:14:15 host LEEF:1.0|V|P|1|E|src=1")).isEqualTo(SyslogRoute.LEEF);
    }

    @Test
    void syslogOtherwise() {
        assertThat(route("<13>1 2026-11-25T10:00:00Z host app 1 ID - text before CEF:0|V|P|1|1|n|5|"))
                .isEqualTo(SyslogRoute.RFC5424);
        assertThat(route("<13>1 2026-11-25T10:00:00Z host app 1 ID - plain")).isEqualTo(SyslogRoute.RFC5424);
        assertThat(route("<13>Oct 11 22:14:15 host app: the text mentions CEF: without a version"))
                .isEqualTo(SyslogRoute.RFC3164);
        assertThat(route("<13>Oct 11 22:14:15 host app: one two three four five six CEF:0|V|P|1|1|n|5|"))
                .isEqualTo(SyslogRoute.RFC3164);
        assertThat(route("")).isEqualTo(SyslogRoute.RFC3164);
        assertThat(route("<")).isEqualTo(SyslogRoute.RFC3164);
        assertThat(route("<1>1")).isEqualTo(SyslogRoute.RFC3164);
        assertThat(route("<13>1 ")).isEqualTo(SyslogRoute.RFC5424);
    }

    private static SyslogRoute route(String message) {
        return SyslogRouter.route(message.getBytes(UTF_8));
    }
}
