package io.vigil.forward;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.spi.Row;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/**
 * A row as one Splunk HTTP Event Collector event ({@code /services/collector/event} JSON protocol, "Format
 * events for HTTP Event Collector"): {@code time} in epoch seconds with milliseconds, {@code host} the row's
 * Computer (else the sink's host name), {@code source} {@code vigil}, {@code sourcetype}
 * {@code vigil:<table in lower case>}, and the row as {@code event}, as {@code syslog_json} writes it.
 */
final class HecEventEncoder {
    static final String SOURCE = "vigil";
    private static final JsonFactory JSON = new JsonFactory();

    private final JsonEncoder rows = new JsonEncoder();
    private final String defaultHost;

    HecEventEncoder(String defaultHost) {
        this.defaultHost = defaultHost;
    }

    /** {@code vigil:} and the table's name in lower case: one sourcetype per table. */
    static String sourcetype(String table) {
        return "vigil:" + table.toLowerCase(Locale.ROOT);
    }

    String encode(Row row, Instant time) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeFieldName("time");
            json.writeNumber(BigDecimal.valueOf(time.toEpochMilli(), 3));
            json.writeStringField("host", Items.text(row, "Computer").orElse(defaultHost));
            json.writeStringField("source", SOURCE);
            json.writeStringField("sourcetype", sourcetype(row.table().name()));
            json.writeFieldName("event");
            json.writeRawValue(rows.encode(row));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
