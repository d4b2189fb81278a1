package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** detect() tells the text formats apart, and CEF/LEEF over syslog wins over plain syslog. */
class TextFormatsDetectTest {
    private static final LogFormats FORMATS = LogFormats.builtIn();

    private static String detected(String head) {
        return FORMATS.detect(head.getBytes(StandardCharsets.UTF_8))
                .map(format -> format.name())
                .orElse("none");
    }

    @Test
    void eachTextFormatWinsOnItsOwnInput() {
        assertThat(detected("<34>Oct 11 22:14:15 mymachine su: 'su root' failed\n"))
                .isEqualTo("syslog_rfc3164");
        assertThat(detected("Oct 11 22:14:15 mymachine su: no PRI\n")).isEqualTo("syslog_rfc3164");
        assertThat(detected("<165>1 2003-10-11T22:14:15.003Z host app - ID47 - msg\n"))
                .isEqualTo("syslog_rfc5424");
        assertThat(detected("<134>Oct 11 22:14:15 fw CEF:0|V|P|1|1|n|5|src=1.2.3.4\n"))
                .isEqualTo("cef");
        assertThat(detected("<14>1 2026-11-25T10:00:00Z h CEF - - - CEF:0|V|P|1|1|n|5|src=1.2.3.4\n"))
                .isEqualTo("cef");
        assertThat(detected("CEF:0|V|P|1|1|n|5|src=1.2.3.4\n")).isEqualTo("cef");
        assertThat(detected("Jan 18 11:07:53 host LEEF:1.0|V|P|1|E|src=1.2.3.4\n"))
                .isEqualTo("leef");
        assertThat(detected("1.0;2014-06-19T22:59:23.1967767Z;GetBlob;AnonymousSuccess;200;17;16;anonymous;;a;blob;\n"))
                .isEqualTo("storage_analytics");
        assertThat(detected("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"))
                .isEqualTo("windows_event_xml");
        assertThat(detected("{\"winlog\":{\"event_id\":4624,\"channel\":\"Security\"}}\n"))
                .isEqualTo("windows_event_json");
        assertThat(detected("{\"Event\":{\"System\":{\"EventID\":1}}}")).isEqualTo("windows_event_json");
    }
}
