package io.vigil.store.xml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * KQL's {@code parse_xml} (parse-xml-function): XML text to a JSON bag. The root element becomes the only
 * key; an element with neither attributes nor child elements is its text ({@code null} when empty); any
 * other element is an object of its attributes as {@code "@name"} (namespace declarations as
 * {@code "@xmlns"} / {@code "@xmlns:p"}), its text as {@code "#text"}, and its child elements by name, an
 * array when a name repeats. Only elements, attributes and text (CDATA included) are kept; comments and
 * processing instructions are skipped. Text is trimmed, and text split by child elements is joined.
 * Values stay strings (the page's number example prints 118.0, but its table maps text to strings).
 *
 * <p>Input longer than 1,048,576 UTF-8 bytes, XML that does not parse, and elements nested deeper than
 * {@value #MAXIMUM_DEPTH} levels give null. The parser never reads a DTD or an external entity: DTDs are
 * not supported and external entities are off, so a document that declares entities does not parse (XXE
 * and entity expansion are impossible).
 */
public final class XmlToJson {
    /** parse_xml's documented input limit. */
    static final int MAXIMUM_BYTES = 1_048_576;

    // the JDK's own default limit (jdk.xml.maxElementDepth=100 in conf/jaxp.properties of recent JDKs); ours
    // holds on any JDK
    static final int MAXIMUM_DEPTH = 100;

    private static final JsonFactory JSON = new JsonFactory();
    private static final XMLInputFactory FACTORY = newFactory();

    private XmlToJson() {}

    private static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory;
    }

    /** An element as read: attributes in document order, text, children in document order. */
    private static final class Element {
        final String name;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final StringBuilder text = new StringBuilder();
        final List<Element> children = new ArrayList<>();

        Element(String name) {
            this.name = name;
        }
    }

    /** The JSON text of {@code xml}, or null when it is null, too long, too deep or not XML. */
    public static String convert(String xml) {
        if (xml == null || xml.length() > MAXIMUM_BYTES || utf8Length(xml) > MAXIMUM_BYTES) {
            return null;
        }
        Element root;
        try {
            root = read(xml);
        } catch (XMLStreamException | RuntimeException malformed) {
            // bad data is data: the function's answer for text that is not XML is null
            return null;
        }
        if (root == null) {
            return null;
        }
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeFieldName(root.name);
            write(json, root);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static long utf8Length(String text) {
        if (text.length() * 3L <= MAXIMUM_BYTES) {
            return text.length();
        }
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static Element read(String xml) throws XMLStreamException {
        XMLStreamReader reader = FACTORY.createXMLStreamReader(new StringReader(xml));
        try {
            List<Element> open = new ArrayList<>();
            Element root = null;
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (open.size() >= MAXIMUM_DEPTH) {
                            return null;
                        }
                        Element element = new Element(qualifiedName(reader.getPrefix(), reader.getLocalName()));
                        for (int index = 0; index < reader.getNamespaceCount(); index++) {
                            String prefix = reader.getNamespacePrefix(index);
                            String name = "xmlns";
                            if (prefix != null && !prefix.isEmpty()) {
                                name = "xmlns:" + prefix;
                            }
                            element.attributes.put(name, reader.getNamespaceURI(index));
                        }
                        for (int index = 0; index < reader.getAttributeCount(); index++) {
                            element.attributes.put(
                                    qualifiedName(
                                            reader.getAttributePrefix(index), reader.getAttributeLocalName(index)),
                                    reader.getAttributeValue(index));
                        }
                        if (open.isEmpty()) {
                            root = element;
                        } else {
                            open.get(open.size() - 1).children.add(element);
                        }
                        open.add(element);
                    }
                    case XMLStreamConstants.END_ELEMENT -> open.remove(open.size() - 1);
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                        if (!open.isEmpty()) {
                            appendText(open.get(open.size() - 1).text, reader.getText());
                        }
                    }
                    default -> {
                        // comments, processing instructions, whitespace outside the root: skipped
                    }
                }
            }
            return root;
        } finally {
            reader.close();
        }
    }

    private static void appendText(StringBuilder text, String more) {
        String part = more.strip();
        if (part.isEmpty()) {
            return;
        }
        if (!text.isEmpty()) {
            text.append(' ');
        }
        text.append(part);
    }

    private static String qualifiedName(String prefix, String local) {
        if (prefix == null || prefix.isEmpty()) {
            return local;
        }
        return prefix + ":" + local;
    }

    private static void write(JsonGenerator json, Element element) throws IOException {
        if (element.attributes.isEmpty() && element.children.isEmpty()) {
            if (element.text.isEmpty()) {
                json.writeNull();
            } else {
                json.writeString(element.text.toString());
            }
            return;
        }
        json.writeStartObject();
        for (Map.Entry<String, String> attribute : element.attributes.entrySet()) {
            json.writeStringField("@" + attribute.getKey(), attribute.getValue());
        }
        if (!element.text.isEmpty()) {
            json.writeStringField("#text", element.text.toString());
        }
        Map<String, List<Element>> byName = new LinkedHashMap<>();
        for (Element child : element.children) {
            byName.computeIfAbsent(child.name, ignored -> new ArrayList<>()).add(child);
        }
        for (Map.Entry<String, List<Element>> group : byName.entrySet()) {
            json.writeFieldName(group.getKey());
            if (group.getValue().size() == 1) {
                write(json, group.getValue().get(0));
            } else {
                json.writeStartArray();
                for (Element child : group.getValue()) {
                    write(json, child);
                }
                json.writeEndArray();
            }
        }
        json.writeEndObject();
    }
}
