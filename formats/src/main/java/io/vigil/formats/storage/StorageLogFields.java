package io.vigil.formats.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Storage Analytics line into fields. A field that starts with {@code "} is quoted and ends at
 * the {@code "} that is followed by {@code ;} or the end of the line: the service does not escape quotes
 * inside quoted fields (the ETag is written {@code ""0x8D15A2913C934DE""} and the 2.0 authorization
 * detail is raw JSON, both in the format page's samples), so the closing quote is found by what follows
 * it. Quoted fields are HTML-decoded ({@code &amp;} in request URLs).
 */
final class StorageLogFields {
    private StorageLogFields() {}

    static List<String> split(String line) {
        List<String> fields = new ArrayList<>(38);
        int position = 0;
        while (true) {
            if (position < line.length() && line.charAt(position) == '"') {
                int close = closingQuote(line, position + 1);
                if (close > 0) {
                    fields.add(htmlDecode(line.substring(position + 1, close)));
                    position = close + 1;
                    if (position >= line.length()) {
                        return fields;
                    }
                    // closingQuote guarantees a ';' here
                    position++;
                    continue;
                }
            }
            int end = line.indexOf(';', position);
            if (end < 0) {
                fields.add(line.substring(position));
                return fields;
            }
            fields.add(line.substring(position, end));
            position = end + 1;
        }
    }

    private static int closingQuote(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            if (line.charAt(i) == '"' && (i + 1 == line.length() || line.charAt(i + 1) == ';')) {
                return i;
            }
        }
        return -1;
    }

    static String htmlDecode(String value) {
        if (value.indexOf('&') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '&') {
                int semicolon = value.indexOf(';', i);
                if (semicolon > i && semicolon - i <= 10) {
                    String entity = value.substring(i + 1, semicolon);
                    String decoded = entity(entity);
                    if (decoded != null) {
                        out.append(decoded);
                        i = semicolon + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String entity(String name) {
        switch (name) {
            case "amp":
                return "&";
            case "quot":
                return "\"";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "apos":
                return "'";
            default:
                break;
        }
        try {
            int code;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                code = Integer.parseInt(name.substring(2), 16);
            } else if (name.startsWith("#")) {
                code = Integer.parseInt(name.substring(1));
            } else {
                return null;
            }
            if (!Character.isValidCodePoint(code)) {
                return null;
            }
            return new String(Character.toChars(code));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
