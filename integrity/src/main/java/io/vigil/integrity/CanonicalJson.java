package io.vigil.integrity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.spi.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical text of a {@code dynamic} value, so that the same JSON hashes the same however the
 * database spells it: no whitespace, object members sorted by name (UTF-16 code units, as RFC 8785),
 * the last of duplicate names kept, strings escaped as {@link Json#quote}, numbers as the shortest
 * decimal of their exact value ({@link BigDecimal#stripTrailingZeros}, so {@code 1.0} and {@code 1} are
 * one number). Text that is not JSON is hashed as a JSON string of itself, marked so that it cannot
 * collide with a real JSON string.
 */
final class CanonicalJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private CanonicalJson() {}

    static String canonical(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return notJson(json);
            }
            StringBuilder out = new StringBuilder(json.length());
            value(parser, first, out);
            if (parser.nextToken() != null) {
                return notJson(json);
            }
            return out.toString();
        } catch (IOException e) {
            return notJson(json);
        }
    }

    private static String notJson(String text) {
        return "!" + Json.quote(text);
    }

    private static void value(JsonParser parser, JsonToken token, StringBuilder out) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Map<String, String> members = new TreeMap<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                    String name = parser.currentName();
                    StringBuilder member = new StringBuilder();
                    value(parser, parser.nextToken(), member);
                    members.put(name, member.toString());
                }
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, String> member : members.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    Json.appendQuoted(out, member.getKey());
                    out.append(':').append(member.getValue());
                }
                out.append('}');
            }
            case START_ARRAY -> {
                out.append('[');
                boolean first = true;
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    value(parser, next, out);
                }
                out.append(']');
            }
            case VALUE_STRING -> Json.appendQuoted(out, parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.append(number(parser.getText()));
            case VALUE_TRUE -> out.append("true");
            case VALUE_FALSE -> out.append("false");
            case VALUE_NULL -> out.append("null");
            default -> throw new IOException("unexpected " + token);
        }
    }

    private static String number(String text) {
        BigDecimal value = new BigDecimal(text);
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toString();
    }
}
