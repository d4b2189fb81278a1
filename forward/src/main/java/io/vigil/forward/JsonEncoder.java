package io.vigil.forward;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.spi.Column;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * A row as one JSON object, the way the query API shows it: every non-empty column in the table's order,
 * datetimes ISO-8601 UTC, dynamic values as JSON, plus {@code Type} (the table). JSON escapes line
 * breaks, so the text is one line.
 */
public final class JsonEncoder implements Encoder {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String encode(Row row) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            for (Column column : row.table().columns()) {
                Object value = row.get(column.name());
                if (value == null || column.name().equals("Type")) {
                    continue;
                }
                json.writeFieldName(column.name());
                switch (value) {
                    case Integer number -> json.writeNumber(number);
                    case Long number -> json.writeNumber(number);
                    case Double number -> writeReal(json, number);
                    case Boolean bool -> json.writeBoolean(bool);
                    // a line break in JSON outside a string is whitespace; one inside a string is already \n
                    case Dynamic dynamic ->
                        json.writeRawValue(dynamic.json().replace('\n', ' ').replace('\r', ' '));
                    case Instant instant -> json.writeString(instant.toString());
                    case Duration duration -> json.writeString(duration.toString());
                    default -> json.writeString(value.toString());
                }
            }
            json.writeStringField("Type", row.table().name());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void writeReal(JsonGenerator json, double number) throws IOException {
        // JSON has no NaN or infinity; Kusto shows them as strings
        if (Double.isFinite(number)) {
            json.writeNumber(number);
        } else {
            json.writeString(Double.toString(number));
        }
    }
}
