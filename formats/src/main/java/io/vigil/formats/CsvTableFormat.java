package io.vigil.formats;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.vigil.formats.common.JsonRecords;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Rows exported from a workspace as CSV (the Log Analytics portal's "Export to CSV"): a header of
 * column names, then one row per line, RFC 4180 quoting. The table comes from {@code --table} or each
 * row's {@code Type} column; rows are built as {@link JsonTableFormat} builds them.
 */
public final class CsvTableFormat implements LogFormat {
    public static final String NAME = "csv_table";

    private static final CsvMapper CSV =
            CsvMapper.builder().enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

    private final Optional<String> forcedTable;

    public CsvTableFormat() {
        this.forcedTable = Optional.empty();
    }

    private CsvTableFormat(String table) {
        this.forcedTable = Optional.of(table);
    }

    public static CsvTableFormat forTable(String table) {
        return new CsvTableFormat(table);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "CSV export of a table (header of column names; table from --table or the Type column)";
    }

    @Override
    public List<String> outputTables() {
        return forcedTable.map(List::of).orElse(List.of());
    }

    @Override
    public int detect(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline < 0) {
            return 0;
        }
        String header = text.substring(0, newline);
        if (header.contains("TimeGenerated")
                && header.contains(",")
                && !header.trim().startsWith("{")
                && !header.trim().startsWith("[")) {
            return 40;
        }
        return 0;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        try (MappingIterator<List<String>> lines = CSV.readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(input)) {
            if (!lines.hasNextValue()) {
                sink.deadLetter(new DeadLetter(source, NAME, DeadLetterReason.EMPTY, "no header line", input));
                return;
            }
            List<String> header = lines.nextValue();
            while (lines.hasNextValue()) {
                List<String> values = lines.nextValue();
                ObjectNode object = JsonRecords.MAPPER.createObjectNode();
                for (int i = 0; i < values.size(); i++) {
                    object.put(columnName(header, i), values.get(i));
                }
                JsonTableFormat.parseRow(NAME, forcedTable, source, object, context, sink);
            }
        } catch (IOException | RuntimeException e) {
            // rows before the error were delivered; the input is kept whole as evidence
            sink.deadLetter(new DeadLetter(
                    source, NAME, DeadLetterReason.MALFORMED_LINE, "not CSV with a header: " + e.getMessage(), input));
        }
    }

    /** A header cell's name; blank or missing cells (a defect of some exports) get positional names. */
    private static String columnName(List<String> header, int index) {
        if (index < header.size() && !header.get(index).isBlank()) {
            return header.get(index).trim();
        }
        return "Column" + (index + 1);
    }
}
