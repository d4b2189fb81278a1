package io.vigil.spi;

import static java.util.Objects.requireNonNull;

/**
 * A value of KQL type `dynamic`, held as JSON text. Producers build it from a JSON serializer (so the
 * text is valid JSON); the store checks it again and dead-letters rows whose text is not JSON.
 */
public record Dynamic(String json) {
    public Dynamic {
        requireNonNull(json, "json is null");
    }

    /** A dynamic holding a JSON string with the given content. */
    public static Dynamic ofString(String value) {
        return new Dynamic(Json.quote(value));
    }

    @Override
    public String toString() {
        return json;
    }
}
