package io.vigil.formats.cef;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The CEF text after {@code CEF:} ("Implementing ArcSight Common Event Format (CEF)", rev. 25): seven
 * pipe-separated header fields, where {@code \|} and {@code \\} are escapes, then the extension, a list
 * of {@code key=value} pairs separated by spaces, where {@code \=}, {@code \\}, {@code \n} and {@code \r}
 * are escapes and a value runs up to the last space before the next {@code key=}.
 */
public final class CefParser {
    static final int HEADER_FIELDS = 7;

    private CefParser() {}

    /** One extension pair, with its value exactly as sent and unescaped. */
    public record Extension(String key, String rawValue, String value) {
        public Extension {
            requireNonNull(key, "key is null");
            requireNonNull(rawValue, "rawValue is null");
            requireNonNull(value, "value is null");
        }
    }

    /** A parsed CEF event: the header fields (version, vendor, product, version, class id, name, severity). */
    public record Event(List<String> header, List<Extension> extensions, String orphanText) {
        public Event {
            header = List.copyOf(requireNonNull(header, "header is null"));
            extensions = List.copyOf(requireNonNull(extensions, "extensions is null"));
            requireNonNull(orphanText, "orphanText is null");
        }
    }

    /** Pipe-separated header fields with their escapes removed, and where the rest of the text starts. */
    record Header(List<String> fields, int end) {}

    /**
     * Reads up to {@code count} header fields from {@code text} at {@code start}; each field ends at an
     * unescaped {@code |}. Returns fewer fields when the text ends first.
     */
    static Header header(String text, int start, int count) {
        List<String> fields = new ArrayList<>(count);
        StringBuilder field = new StringBuilder();
        int position = start;
        while (position < text.length() && fields.size() < count) {
            char c = text.charAt(position);
            if (c == '\\' && position + 1 < text.length()) {
                char next = text.charAt(position + 1);
                if (next == '|' || next == '\\') {
                    field.append(next);
                    position += 2;
                    continue;
                }
            }
            if (c == '|') {
                fields.add(field.toString());
                field.setLength(0);
                position++;
                continue;
            }
            field.append(c);
            position++;
        }
        return new Header(fields, position);
    }

    /** Parses {@code text} that starts right after {@code CEF:}; null when the header is incomplete. */
    public static Event parse(String text) {
        Header header = header(text, 0, HEADER_FIELDS);
        if (header.fields().size() < HEADER_FIELDS) {
            return null;
        }
        List<Extension> extensions = new ArrayList<>();
        String orphan = extensions(text.substring(header.end()), extensions);
        return new Event(header.fields(), extensions, orphan);
    }

    /**
     * Splits an extension into pairs; returns any text before the first key (a broken sender's), which the
     * caller keeps. An {@code =} whose preceding word is not a valid key is part of the current value, as
     * unescaped {@code =} in URLs is common.
     */
    static String extensions(String text, List<Extension> out) {
        int valueStart = -1;
        String key = null;
        String orphan = "";
        int position = 0;
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '\\') {
                position += 2;
                continue;
            }
            if (c == '=') {
                int searchFrom = Math.max(valueStart, 0);
                int keyStart = text.lastIndexOf(' ', position - 1) + 1;
                if (keyStart < searchFrom) {
                    keyStart = searchFrom;
                }
                String candidate = text.substring(keyStart, position);
                boolean atValueStart = key != null && keyStart == valueStart;
                if (isKey(candidate) && !atValueStart) {
                    if (key != null) {
                        out.add(pair(key, text.substring(valueStart, Math.max(valueStart, keyStart - 1))));
                    } else {
                        orphan = text.substring(0, keyStart).strip();
                    }
                    key = candidate;
                    valueStart = position + 1;
                }
            }
            position++;
        }
        if (key != null) {
            out.add(pair(key, text.substring(valueStart)));
        } else {
            orphan = text.strip();
        }
        return orphan;
    }

    private static Extension pair(String key, String raw) {
        String trimmed = raw.stripTrailing();
        return new Extension(key, trimmed, unescapeValue(trimmed));
    }

    /** Extension value escapes: {@code \=}, {@code \\}, {@code \n}, {@code \r}; other backslashes stay. */
    static String unescapeValue(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(i + 1);
                switch (next) {
                    case '=', '\\' -> {
                        out.append(next);
                        i++;
                        continue;
                    }
                    case 'n' -> {
                        out.append('\n');
                        i++;
                        continue;
                    }
                    case 'r' -> {
                        out.append('\r');
                        i++;
                        continue;
                    }
                    default -> {
                        // not an extension escape: the backslash is data
                    }
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** CEF keys are alphanumeric; vendors also use '_', '.', '-' and '[]'. */
    static boolean isKey(String candidate) {
        if (candidate.isEmpty() || candidate.length() > 128) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-'
                    || c == '['
                    || c == ']';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
