package io.vigil.forward;

import io.vigil.spi.Dynamic;
import java.time.Instant;

/** Value rendering and cutting shared by the text encoders. */
final class Texts {
    private Texts() {}

    /** A stored value as text: datetimes as ISO-8601 UTC, dynamic values as their JSON. */
    static String text(Object value) {
        return switch (value) {
            case Instant instant -> instant.toString();
            case Dynamic dynamic -> dynamic.json();
            default -> String.valueOf(value);
        };
    }

    /** At most {@code limit} characters, never splitting a surrogate pair (the specs count characters). */
    static String truncate(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        int end = limit;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
