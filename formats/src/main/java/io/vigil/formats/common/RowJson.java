package io.vigil.formats.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.Column;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/** Renders a row as one JSON object (non-null columns in table order), for golden files and the CLI. */
public final class RowJson {
    private RowJson() {}

    public static ObjectNode toJson(Row row) {
        ObjectNode object = JsonRecords.MAPPER.createObjectNode();
        for (int i = 0; i < row.size(); i++) {
            Object value = row.get(i);
            if (value == null) {
                continue;
            }
            Column column = row.table().columns().get(i);
            switch (value) {
                case String text -> object.put(column.name(), text);
                case Integer number -> object.put(column.name(), number);
                case Long number -> object.put(column.name(), number);
                case Double number -> object.put(column.name(), number);
                case Boolean bool -> object.put(column.name(), bool);
                case Instant instant -> object.put(column.name(), instant.toString());
                case Duration duration -> object.put(column.name(), duration.toString());
                case Dynamic dynamic -> object.set(column.name(), parse(dynamic.json()));
                default -> throw new IllegalStateException("unexpected value type " + value.getClass());
            }
        }
        return object;
    }

    private static JsonNode parse(String json) {
        try {
            return JsonRecords.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("dynamic value is not JSON: " + json, e);
        }
    }
}
