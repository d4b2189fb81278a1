package io.vigil.formats.windows;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An element of a Windows event: its local name, attributes (namespace declarations included as
 * {@code xmlns} attributes, so the element can be written back as Windows wrote it), child elements and
 * text. XML input and the JSON shapes are all read into this one tree.
 */
record XmlNode(String name, Map<String, String> attributes, List<XmlNode> children, String text) {
    XmlNode {
        requireNonNull(name, "name is null");
        attributes = java.util.Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(attributes, "attributes is null")));
        children = List.copyOf(requireNonNull(children, "children is null"));
        requireNonNull(text, "text is null");
    }

    static XmlNode leaf(String name, String text) {
        return new XmlNode(name, Map.of(), List.of(), text);
    }

    Optional<XmlNode> child(String childName) {
        for (XmlNode child : children) {
            if (child.name.equals(childName)) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    Optional<String> attribute(String attributeName) {
        return Optional.ofNullable(attributes.get(attributeName));
    }

    /** The element written as XML, compact (no indentation), with text and attributes escaped. */
    String toXml() {
        StringBuilder out = new StringBuilder();
        write(out);
        return out.toString();
    }

    private void write(StringBuilder out) {
        out.append('<').append(name);
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            out.append(' ').append(attribute.getKey()).append("=\"");
            escape(out, attribute.getValue(), true);
            out.append('"');
        }
        if (children.isEmpty() && text.isEmpty()) {
            out.append(" />");
            return;
        }
        out.append('>');
        escape(out, text, false);
        for (XmlNode child : children) {
            child.write(out);
        }
        out.append("</").append(name).append('>');
    }

    static void escape(StringBuilder out, String value, boolean attribute) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> {
                    if (attribute) {
                        out.append("&quot;");
                    } else {
                        out.append(c);
                    }
                }
                default -> out.append(c);
            }
        }
    }

    /** A mutable builder, used while reading. */
    static final class Builder {
        private final String name;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final List<XmlNode> children = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        Builder(String name) {
            this.name = name;
        }

        Builder attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        Builder child(XmlNode child) {
            children.add(child);
            return this;
        }

        Builder text(String value) {
            text.append(value);
            return this;
        }

        XmlNode build() {
            String value = text.toString();
            // whitespace between child elements is layout, not data
            if (!children.isEmpty() && value.isBlank()) {
                value = "";
            }
            return new XmlNode(name, attributes, children, value);
        }
    }
}
