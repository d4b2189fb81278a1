package io.vigil.store.xml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** parse_xml's conversion table and example. source: https://learn.microsoft.com/kusto/query/parse-xml-function */
class XmlToJsonTest {
    @Test
    void conversionTableOfThePage() {
        assertThat(XmlToJson.convert("<e/>")).isEqualTo("{\"e\":null}");
        assertThat(XmlToJson.convert("<e>text</e>")).isEqualTo("{\"e\":\"text\"}");
        assertThat(XmlToJson.convert("<e name=\"value\" />")).isEqualTo("{\"e\":{\"@name\":\"value\"}}");
        assertThat(XmlToJson.convert("<e name=\"value\">text</e>"))
                .isEqualTo("{\"e\":{\"@name\":\"value\",\"#text\":\"text\"}}");
        assertThat(XmlToJson.convert("<e> <a>text</a> <b>text</b> </e>"))
                .isEqualTo("{\"e\":{\"a\":\"text\",\"b\":\"text\"}}");
        assertThat(XmlToJson.convert("<e> <a>text</a> <a>text</a> </e>"))
                .isEqualTo("{\"e\":{\"a\":[\"text\",\"text\"]}}");
        assertThat(XmlToJson.convert("<e> text <a>text</a> </e>"))
                .isEqualTo("{\"e\":{\"#text\":\"text\",\"a\":\"text\"}}");
    }

    @Test
    void exampleOfThePage() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <duration>
                    <value>118.0</value>
                    <count>5.0</count>
                    <min>100.0</min>
                    <max>150.0</max>
                    <stdDev>0.0</stdDev>
                    <sampledValue>118.0</sampledValue>
                    <sum>118.0</sum>
                </duration>
                """;
        assertThat(XmlToJson.convert(xml))
                .isEqualTo("{\"duration\":{\"value\":\"118.0\",\"count\":\"5.0\",\"min\":\"100.0\",\"max\":\"150.0\","
                        + "\"stdDev\":\"0.0\",\"sampledValue\":\"118.0\",\"sum\":\"118.0\"}}");
    }

    @Test
    void sysmonEventDataAsTheCorpusRuleReadsIt() {
        // ZincOct292020IOCs: parse_xml(EventData).DataItem.EventData.Data[16]["#text"]
        String xml = "<DataItem type=\"System.XmlData\" time=\"2020-10-29T10:00:00Z\"><EventData"
                + " xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><Data Name=\"RuleName\">-</Data>"
                + "<Data Name=\"Hashes\">SHA256=ABC,IMPHASH=DEF</Data><!-- skipped --><Data Name=\"Empty\"/></EventData>"
                + "</DataItem>";
        assertThat(XmlToJson.convert(xml))
                .isEqualTo("{\"DataItem\":{\"@type\":\"System.XmlData\",\"@time\":\"2020-10-29T10:00:00Z\","
                        + "\"EventData\":{\"@xmlns\":\"http://schemas.microsoft.com/win/2004/08/events/event\","
                        + "\"Data\":[{\"@Name\":\"RuleName\",\"#text\":\"-\"},"
                        + "{\"@Name\":\"Hashes\",\"#text\":\"SHA256=ABC,IMPHASH=DEF\"},{\"@Name\":\"Empty\"}]}}}");
    }

    @Test
    void cdataAndEntitiesAreText() {
        assertThat(XmlToJson.convert("<e><![CDATA[a<b]]> &amp; c</e>")).isEqualTo("{\"e\":\"a<b & c\"}");
    }

    @Test
    void invalidOrTooLongOrTooDeepIsNull() {
        assertThat(XmlToJson.convert(null)).isNull();
        assertThat(XmlToJson.convert("")).isNull();
        assertThat(XmlToJson.convert("not xml")).isNull();
        assertThat(XmlToJson.convert("<a><b></a>")).isNull();
        assertThat(XmlToJson.convert("<a/><b/>")).isNull();
        String tooLong = "<e>" + "x".repeat(XmlToJson.MAXIMUM_BYTES) + "</e>";
        assertThat(XmlToJson.convert(tooLong)).isNull();
        // within the character limit but over it in UTF-8 bytes
        String wide = "<e>" + "\u00e9".repeat(XmlToJson.MAXIMUM_BYTES / 2) + "</e>";
        assertThat(XmlToJson.convert(wide)).isNull();
        String deep = "<a>".repeat(XmlToJson.MAXIMUM_DEPTH + 1) + "</a>".repeat(XmlToJson.MAXIMUM_DEPTH + 1);
        assertThat(XmlToJson.convert(deep)).isNull();
        String deepEnough = "<a>".repeat(XmlToJson.MAXIMUM_DEPTH) + "</a>".repeat(XmlToJson.MAXIMUM_DEPTH);
        assertThat(XmlToJson.convert(deepEnough)).startsWith("{\"a\":{\"a\":");
    }

    @Test
    void neverReadsDtdsOrExternalEntities() throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("vigil-xxe", ".txt");
        try {
            java.nio.file.Files.writeString(secret, "SECRET");
            String external =
                    "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><e>&x;</e>";
            assertThat(XmlToJson.convert(external)).isNull();
            String laughs = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY a \"aaaaaaaaaa\">"
                    + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><e>&b;</e>";
            assertThat(XmlToJson.convert(laughs)).isNull();
        } finally {
            java.nio.file.Files.delete(secret);
        }
    }
}
