package io.vigil.formats.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 5424 §6.3.3 PARAM-VALUE escapes. */
class StructuredDataTest {
    @Test
    void escapedQuoteBackslashAndBracket() throws StructuredData.MalformedException {
        String text =
                "[ex@32473 a=\"say \\\"hi\\\"\" b=\"C:\\\\temp\" c=\"x\\]y\" d=\"keep \\n\"][second@1 e=\"\"] msg";
        StructuredData.Parsed parsed = StructuredData.parse(text, 0);
        assertThat(parsed.elements()).hasSize(2);
        assertThat(parsed.elements().get(0).params())
                .containsExactly(
                        new StructuredData.Param("a", "say \"hi\""),
                        new StructuredData.Param("b", "C:\\temp"),
                        new StructuredData.Param("c", "x]y"),
                        new StructuredData.Param("d", "keep \\n"));
        assertThat(parsed.elements().get(1))
                .isEqualTo(new StructuredData.Element("second@1", List.of(new StructuredData.Param("e", ""))));
        assertThat(text.substring(parsed.end())).isEqualTo(" msg");
    }

    @Test
    void nilValueAndMalformed() throws StructuredData.MalformedException {
        assertThat(StructuredData.parse("- msg", 0).elements()).isEmpty();
        assertThatThrownBy(() -> StructuredData.parse("[ex a=\"unterminated]", 0))
                .isInstanceOf(StructuredData.MalformedException.class);
        assertThatThrownBy(() -> StructuredData.parse("[ex a=b]", 0))
                .isInstanceOf(StructuredData.MalformedException.class);
    }
}
