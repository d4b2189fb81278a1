package io.vigil.formats.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.catalog.TableCatalog;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.testing.TestingClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** XXE refusal: neither a DTD nor an external entity is ever resolved. */
class WindowsEventXmlFormatTest {
    private static final ParseContext CONTEXT =
            ParseContext.of(TableCatalog.builtIn(), new TestingClock(Instant.parse("2026-11-25T12:00:00Z")));

    @Test
    void externalEntityIsNeverRead(@TempDir Path directory) throws Exception {
        Path secret = directory.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET", StandardCharsets.UTF_8);
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE Event [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><EventID>4624</EventID>"
                + "<Channel>Security</Channel></System><EventData><Data Name=\"TargetUserName\">&xxe;</Data></EventData></Event>";
        Collecting sink = new Collecting();
        new WindowsEventXmlFormat().parse("test", xml.getBytes(StandardCharsets.UTF_8), CONTEXT, sink);
        assertThat(sink.rows).isEmpty();
        assertThat(sink.deadLetters).singleElement().satisfies(dead -> {
            assertThat(dead.reason()).isEqualTo(DeadLetterReason.INVALID_XML);
            assertThat(dead.detail()).doesNotContain("TOP-SECRET");
        });
    }

    @Test
    void readerRefusesDoctypeEvenWhenCalledDirectly(@TempDir Path directory) throws Exception {
        Path secret = directory.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET", StandardCharsets.UTF_8);
        String xml = "<!DOCTYPE Event [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]><Event>&xxe;</Event>";
        try {
            XmlNode node = WindowsEventXmlReader.read(xml);
            assertThat(node.toXml()).doesNotContain("TOP-SECRET");
        } catch (XMLStreamException expected) {
            assertThat(String.valueOf(expected.getMessage())).doesNotContain("TOP-SECRET");
        }
    }

    @Test
    void undeclaredEntityIsAnError() {
        Collecting sink = new Collecting();
        String xml = "<Event><System><EventID>1</EventID><Channel>Application</Channel></System>"
                + "<EventData><Data>&undeclared;</Data></EventData></Event>";
        new WindowsEventXmlFormat().parse("test", xml.getBytes(StandardCharsets.UTF_8), CONTEXT, sink);
        assertThat(sink.deadLetters).extracting(DeadLetter::reason).containsExactly(DeadLetterReason.INVALID_XML);
    }

    private static final class Collecting implements RecordSink {
        final List<Row> rows = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();

        @Override
        public void row(Row row) {
            rows.add(row);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            deadLetters.add(deadLetter);
        }
    }
}
