package io.vigil.formats.cef;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CEF escaping ("Implementing ArcSight CEF", "Character encoding"). */
class CefParserTest {
    @Test
    void headerEscapesPipeAndBackslash() {
        CefParser.Event event = CefParser.parse("0|ven\\|dor|prod\\\\uct|1.0|100|name with \\| pipe|5|src=10.0.0.1");
        assertThat(event.header()).containsExactly("0", "ven|dor", "prod\\uct", "1.0", "100", "name with | pipe", "5");
    }

    @Test
    void extensionEscapesAndKeyBoundaries() {
        CefParser.Event event = CefParser.parse(
                "0|v|p|1|1|n|5|msg=a \\= b \\\\ c\\nd\\re act=blocked a | dst=1.1.1.1 request=http://x/?a=b&c=d cs1=trailing   ");
        assertThat(event.extensions())
                .extracting(CefParser.Extension::key, CefParser.Extension::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("msg", "a = b \\ c\nd\re"),
                        org.assertj.core.groups.Tuple.tuple("act", "blocked a |"),
                        org.assertj.core.groups.Tuple.tuple("dst", "1.1.1.1"),
                        org.assertj.core.groups.Tuple.tuple("request", "http://x/?a=b&c=d"),
                        org.assertj.core.groups.Tuple.tuple("cs1", "trailing"));
        assertThat(event.extensions().get(0).rawValue()).isEqualTo("a \\= b \\\\ c\\nd\\re");
    }

    @Test
    void incompleteHeaderIsRejected() {
        assertThat(CefParser.parse("0|v|p|1|1|n")).isNull();
    }

    @Test
    void unknownBackslashSequencesStay() {
        assertThat(CefParser.unescapeValue("C:\\temp\\x")).isEqualTo("C:\\temp\\x");
        assertThat(CefParser.extensions("", new java.util.ArrayList<>())).isEmpty();
        List<CefParser.Extension> out = new java.util.ArrayList<>();
        assertThat(CefParser.extensions("junk only", out)).isEqualTo("junk only");
        assertThat(out).isEmpty();
    }
}
