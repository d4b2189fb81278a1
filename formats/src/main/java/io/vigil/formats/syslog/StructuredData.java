package io.vigil.formats.syslog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 5424 §6.3 STRUCTURED-DATA: {@code -} or one or more {@code [SD-ID param="value" ...]} elements. In
 * a PARAM-VALUE, {@code \"}, {@code \\} and {@code \]} are escapes (§6.3.3); a backslash before any other
 * character is kept as is.
 */
public final class StructuredData {
    private StructuredData() {}

    /** One SD-PARAM with its unescaped value. */
    public record Param(String name, String value) {
        public Param {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    /** One SD-ELEMENT. */
    public record Element(String id, List<Param> params) {
        public Element {
            requireNonNull(id, "id is null");
            params = List.copyOf(requireNonNull(params, "params is null"));
        }
    }

    /** The elements read from {@code text} at {@code start}, and the index after them. */
    public record Parsed(List<Element> elements, int end) {
        public Parsed {
            elements = List.copyOf(requireNonNull(elements, "elements is null"));
        }
    }

    /** Thrown for malformed structured data; carries a position for the dead-letter detail. */
    public static final class MalformedException extends Exception {
        public MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses {@code -} or a run of SD-ELEMENTs starting at {@code start}. */
    public static Parsed parse(String text, int start) throws MalformedException {
        if (start < text.length() && text.charAt(start) == '-') {
            return new Parsed(List.of(), start + 1);
        }
        List<Element> elements = new ArrayList<>();
        int position = start;
        if (position >= text.length() || text.charAt(position) != '[') {
            throw new MalformedException("structured data must be '-' or start with '[' at " + position);
        }
        while (position < text.length() && text.charAt(position) == '[') {
            position++;
            int idEnd = nameEnd(text, position);
            if (idEnd == position) {
                throw new MalformedException("missing SD-ID at " + position);
            }
            String id = text.substring(position, idEnd);
            position = idEnd;
            List<Param> params = new ArrayList<>();
            while (true) {
                if (position >= text.length()) {
                    throw new MalformedException("unterminated SD-ELEMENT " + id);
                }
                char c = text.charAt(position);
                if (c == ']') {
                    position++;
                    break;
                }
                if (c != ' ') {
                    throw new MalformedException("expected ' ' or ']' at " + position);
                }
                position++;
                int nameEnd = nameEnd(text, position);
                if (nameEnd == position) {
                    throw new MalformedException("missing PARAM-NAME at " + position);
                }
                String name = text.substring(position, nameEnd);
                position = nameEnd;
                if (!text.startsWith("=\"", position)) {
                    throw new MalformedException("expected '=\"' after " + name + " at " + position);
                }
                position += 2;
                StringBuilder value = new StringBuilder();
                boolean closed = false;
                while (position < text.length()) {
                    char v = text.charAt(position);
                    if (v == '\\' && position + 1 < text.length()) {
                        char next = text.charAt(position + 1);
                        if (next == '"' || next == '\\' || next == ']') {
                            value.append(next);
                            position += 2;
                            continue;
                        }
                        value.append(v);
                        position++;
                        continue;
                    }
                    if (v == '"') {
                        position++;
                        closed = true;
                        break;
                    }
                    value.append(v);
                    position++;
                }
                if (!closed) {
                    throw new MalformedException("unterminated PARAM-VALUE of " + name);
                }
                params.add(new Param(name, value.toString()));
            }
            elements.add(new Element(id, params));
        }
        return new Parsed(elements, position);
    }

    /** SD-NAME: 1..32 printable US-ASCII characters except '=', ' ', ']' and '"' (RFC 5424 §6.3.2). */
    private static int nameEnd(String text, int start) {
        int position = start;
        while (position < text.length() && position - start < 32) {
            char c = text.charAt(position);
            if (c <= 32 || c >= 127 || c == '=' || c == ']' || c == '"') {
                break;
            }
            position++;
        }
        return position;
    }
}
