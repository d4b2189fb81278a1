package io.vigil.formats.windows;

import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;

/**
 * Windows event XML ({@code <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">}) as
 * {@code wevtutil qe /f:xml} prints it (events one after another, no root element), inside an
 * {@code <Events>} root, or one per request, into SecurityEvent, Event or WindowsEvent
 * ({@link WindowsEventRouting}). Each {@code <Event>} is parsed on its own, so a broken event never loses
 * its neighbours. Input holding a DTD or entity declaration is refused whole (XXE). A browser "XML view"
 * copy (lines marked {@code - <Element>} for collapsible nodes) is repaired by removing the markers.
 */
public final class WindowsEventXmlFormat implements LogFormat {
    public static final String NAME = "windows_event_xml";

    private static final Pattern EVENT_START = Pattern.compile("<Event[\\s>/]");
    private static final Pattern EVENT_END = Pattern.compile("</Event\\s*>");
    private static final Pattern BROWSER_MARKER = Pattern.compile("(?m)^([ \\t]*)- (<)");
    private static final Pattern WRAPPERS =
            Pattern.compile("<\\?xml[^>]*\\?>|</?Events(\\s[^>]*)?>|<!--.*?-->", Pattern.DOTALL);

    private final WindowsEventRouting routing;

    public WindowsEventXmlFormat() {
        this(WindowsEventRouting.AGENT_DEFAULT);
    }

    private WindowsEventXmlFormat(WindowsEventRouting routing) {
        this.routing = routing;
    }

    /** This format sending every event to WindowsEvent. */
    public static WindowsEventXmlFormat forWindowsEventStream() {
        return new WindowsEventXmlFormat(WindowsEventRouting.WINDOWS_EVENT_STREAM);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Windows event XML (wevtutil/WEF <Event> elements) into SecurityEvent, Event or WindowsEvent";
    }

    @Override
    public List<String> outputTables() {
        return routing.outputTables();
    }

    @Override
    public int detect(byte[] head) {
        String text = decodeLenient(head);
        if (!EVENT_START.matcher(text).find()) {
            return 0;
        }
        if (text.contains(WindowsEventRows.EVENT_NAMESPACE)) {
            return 90;
        }
        if (text.contains("<System>")) {
            return 70;
        }
        return 0;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        String text = decode(input);
        if (text == null) {
            text = decodeLenient(input);
        }
        if (text.contains("<!DOCTYPE") || text.contains("<!ENTITY")) {
            sink.deadLetter(new DeadLetter(
                    source,
                    NAME,
                    DeadLetterReason.INVALID_XML,
                    "DTD and entity declarations are refused (XXE)",
                    input));
            return;
        }
        if (BROWSER_MARKER.matcher(text).find()) {
            text = BROWSER_MARKER.matcher(text).replaceAll("$1$2");
            sink.repaired("browser_xml_view");
        }
        Matcher start = EVENT_START.matcher(text);
        Matcher end = EVENT_END.matcher(text);
        int position = 0;
        boolean any = false;
        while (start.find(position)) {
            gap(source, text.substring(position, start.start()), sink);
            any = true;
            if (!end.find(start.start())) {
                String rest = text.substring(start.start());
                sink.deadLetter(new DeadLetter(
                        source, NAME, DeadLetterReason.TRUNCATED, "<Event> without </Event>", bytes(rest)));
                return;
            }
            int eventStart = start.start();
            if (start.find(eventStart + 1) && start.start() < end.start()) {
                // another <Event> begins before this one ends: this one was cut off
                sink.deadLetter(new DeadLetter(
                        source,
                        NAME,
                        DeadLetterReason.TRUNCATED,
                        "<Event> without </Event>",
                        bytes(text.substring(eventStart, start.start()))));
                position = start.start();
                continue;
            }
            String fragment = text.substring(eventStart, end.end());
            event(source, fragment, context, sink);
            position = end.end();
        }
        gap(source, text.substring(position), sink);
        if (!any && text.isBlank()) {
            sink.deadLetter(new DeadLetter(source, NAME, DeadLetterReason.EMPTY, "input is empty", input));
        }
    }

    private void event(String source, String fragment, ParseContext context, RecordSink sink) {
        byte[] raw = bytes(fragment);
        if (raw.length > context.maxRecordBytes()) {
            sink.deadLetter(new DeadLetter(
                    source,
                    NAME,
                    DeadLetterReason.OVERSIZE,
                    "event of " + raw.length + " bytes exceeds the limit of " + context.maxRecordBytes(),
                    raw));
            return;
        }
        if (fragment.indexOf('\uFFFD') >= 0) {
            sink.deadLetter(new DeadLetter(source, NAME, DeadLetterReason.INVALID_UTF8, "event is not UTF-8", raw));
            return;
        }
        XmlNode node;
        try {
            node = WindowsEventXmlReader.read(fragment);
        } catch (XMLStreamException e) {
            sink.deadLetter(new DeadLetter(source, NAME, DeadLetterReason.INVALID_XML, message(e), raw));
            return;
        } catch (RuntimeException e) {
            // the JDK parser reports some malformed input as unchecked exceptions
            sink.deadLetter(new DeadLetter(source, NAME, DeadLetterReason.INVALID_XML, "not well-formed XML", raw));
            return;
        }
        if (!WindowsEventRows.hasEventId(node)) {
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.MISSING_FIELD, "event has no numeric System/EventID", raw));
            return;
        }
        try {
            sink.row(WindowsEventRows.toRow(node, routing, context));
        } catch (RuntimeException e) {
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.UNKNOWN_RECORD_SHAPE, "event error: " + e.getMessage(), raw));
        }
    }

    /** Text between events may only be an XML declaration, an {@code <Events>} root or comments. */
    private static void gap(String source, String text, RecordSink sink) {
        if (text.isBlank()) {
            return;
        }
        String rest = WRAPPERS.matcher(text).replaceAll("");
        if (!rest.isBlank()) {
            sink.deadLetter(new DeadLetter(
                    source,
                    NAME,
                    DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                    "text outside any <Event> element",
                    bytes(text)));
        }
    }

    /**
     * Where the XML broke; the JDK's own message is localized (tests run in German), so the detail keeps
     * only the position and stays the same everywhere.
     */
    private static String message(XMLStreamException e) {
        if (e.getLocation() == null) {
            return "not well-formed XML";
        }
        return "not well-formed XML at line " + e.getLocation().getLineNumber() + ", column "
                + e.getLocation().getColumnNumber();
    }

    /** Strict decoding by byte order mark (UTF-16 as PowerShell redirection writes it) or UTF-8; null if invalid. */
    static String decode(byte[] input) {
        try {
            if (input.length >= 2 && input[0] == (byte) 0xFF && input[1] == (byte) 0xFE) {
                return strict(StandardCharsets.UTF_16LE, input, 2);
            }
            if (input.length >= 2 && input[0] == (byte) 0xFE && input[1] == (byte) 0xFF) {
                return strict(StandardCharsets.UTF_16BE, input, 2);
            }
            int offset = 0;
            if (input.length >= 3 && input[0] == (byte) 0xEF && input[1] == (byte) 0xBB && input[2] == (byte) 0xBF) {
                offset = 3;
            }
            return strict(StandardCharsets.UTF_8, input, offset);
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String strict(java.nio.charset.Charset charset, byte[] input, int offset)
            throws CharacterCodingException {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(input, offset, input.length - offset))
                .toString();
    }

    static String decodeLenient(byte[] input) {
        if (input.length >= 2 && input[0] == (byte) 0xFF && input[1] == (byte) 0xFE) {
            return new String(input, 2, input.length - 2, StandardCharsets.UTF_16LE);
        }
        return new String(input, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
