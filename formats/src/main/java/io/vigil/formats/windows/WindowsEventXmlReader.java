package io.vigil.formats.windows;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads one {@code <Event>} element with the JDK's StAX parser, configured against XXE (OWASP "XML
 * External Entity Prevention Cheat Sheet", StAX section): no DTD support and no external entities, so
 * a {@code <!DOCTYPE>} or an undeclared entity reference is an error instead of a file read or a network
 * call.
 */
final class WindowsEventXmlReader {
    private static final XMLInputFactory FACTORY = factory();

    private WindowsEventXmlReader() {}

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
        return factory;
    }

    /** Parses {@code xml} (one element, maybe after an XML declaration) into a node tree. */
    static XmlNode read(String xml) throws XMLStreamException {
        XMLStreamReader reader = FACTORY.createXMLStreamReader(new StringReader(xml));
        try {
            Deque<XmlNode.Builder> stack = new ArrayDeque<>();
            XmlNode root = null;
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.DTD ->
                        throw new XMLStreamException("document type declarations are refused", reader.getLocation());
                    case XMLStreamConstants.START_ELEMENT -> {
                        XmlNode.Builder builder = new XmlNode.Builder(reader.getLocalName());
                        for (int i = 0; i < reader.getNamespaceCount(); i++) {
                            String prefix = reader.getNamespacePrefix(i);
                            String key = "xmlns";
                            if (prefix != null && !prefix.isEmpty()) {
                                key = "xmlns:" + prefix;
                            }
                            builder.attribute(key, reader.getNamespaceURI(i));
                        }
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            String prefix = reader.getAttributePrefix(i);
                            String key = reader.getAttributeLocalName(i);
                            if (prefix != null && !prefix.isEmpty() && !XMLConstants.DEFAULT_NS_PREFIX.equals(prefix)) {
                                key = prefix + ":" + key;
                            }
                            builder.attribute(key, reader.getAttributeValue(i));
                        }
                        stack.push(builder);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!stack.isEmpty()) {
                            stack.peek().text(reader.getText());
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                        throw new XMLStreamException("entity reference is refused", reader.getLocation());
                    case XMLStreamConstants.END_ELEMENT -> {
                        XmlNode node = stack.pop().build();
                        if (stack.isEmpty()) {
                            root = node;
                        } else {
                            stack.peek().child(node);
                        }
                    }
                    default -> {
                        // comments, processing instructions, the XML declaration: not event data
                    }
                }
            }
            if (root == null) {
                throw new XMLStreamException("no element");
            }
            return root;
        } finally {
            reader.close();
        }
    }
}
