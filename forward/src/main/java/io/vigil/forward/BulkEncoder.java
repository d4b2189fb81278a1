package io.vigil.forward;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vigil.spi.Row;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A row as two lines of an OpenSearch / Elasticsearch {@code _bulk} body (NDJSON, each line ending in LF):
 * an {@code index} action naming the index {@code vigil-<table in lower case>-yyyy.MM.dd} (the row's
 * TimeGenerated day in UTC) and the item's stable id as {@code _id} (so a batch sent again overwrites
 * instead of doubling), then the row as {@code syslog_json} writes it with {@code @timestamp} first (the
 * field Kibana and OpenSearch Dashboards pick as the time field).
 */
final class BulkEncoder {
    static final String INDEX_PREFIX = "vigil-";
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final JsonEncoder rows = new JsonEncoder();

    /** The index of a table's rows of one day; lower case, as index names must be. */
    static String index(String table, Instant time) {
        return INDEX_PREFIX + table.toLowerCase(Locale.ROOT) + "-" + DAY.format(time);
    }

    String encode(Row row, Instant time, String id) {
        String document = rows.encode(row);
        return "{\"index\":{\"_index\":\"" + quote(index(row.table().name(), time)) + "\",\"_id\":\"" + quote(id)
                + "\"}}\n" + "{\"@timestamp\":\"" + time + "\"," + document.substring(1) + "\n";
    }

    private static String quote(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
