package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.catalog.TableCatalog;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A data collection rule for the Logs Ingestion API, read from Azure's DCR JSON ("Structure of a data
 * collection rule in Azure Monitor", learn.microsoft.com/azure/azure-monitor/essentials/data-collection-rule-structure):
 * {@code properties.streamDeclarations} (a {@code Custom-*} stream → its columns with types),
 * {@code properties.dataFlows[]} ({@code streams}, {@code outputStream}, {@code transformKql}).
 *
 * @param immutableId the id senders use in the URL ({@code dcr-} and 32 hex digits)
 * @param name the rule's name
 * @param streams declared streams by name, each with its columns in order
 * @param dataFlows the rule's flows
 * @param definition the JSON the rule was created from, kept as given
 */
public record DataCollectionRule(
        String immutableId,
        String name,
        Map<String, List<Column>> streams,
        List<DataFlow> dataFlows,
        ObjectNode definition) {
    public static final Pattern IMMUTABLE_ID = Pattern.compile("dcr-[0-9a-f]{32}");

    // Log Analytics table names: letters, digits and underscores
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    public DataCollectionRule {
        requireNonNull(immutableId, "immutableId is null");
        requireNonNull(name, "name is null");
        streams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(streams));
        dataFlows = List.copyOf(dataFlows);
        requireNonNull(definition, "definition is null");
    }

    /**
     * One data flow: its input streams, its output table, and its transform.
     *
     * @param outputTable the table written: {@code X_CL} for {@code Custom-X_CL}, {@code T} for {@code Microsoft-T}
     */
    public record DataFlow(List<String> streams, String outputStream, String outputTable, String transformKql) {
        public DataFlow {
            streams = List.copyOf(streams);
            requireNonNull(outputStream, "outputStream is null");
            requireNonNull(outputTable, "outputTable is null");
            requireNonNull(transformKql, "transformKql is null");
        }

        public boolean isCustomOutput() {
            return outputTable.endsWith("_CL");
        }
    }

    /** The flows that read {@code stream}. */
    public List<DataFlow> flowsOf(String stream) {
        return dataFlows.stream()
                .filter(flow -> flow.streams().contains(stream))
                .toList();
    }

    /**
     * Parses and validates a DCR definition; every problem is listed in the exception's message.
     *
     * @throws IllegalArgumentException naming each bad field
     */
    public static DataCollectionRule parse(String immutableId, ObjectNode definition, TableCatalog builtIn) {
        List<String> problems = new ArrayList<>();
        JsonNode properties = definition.path("properties");
        String name = definition.path("name").asText(immutableId);
        Map<String, List<Column>> streams = new LinkedHashMap<>();
        JsonNode declarations = properties.path("streamDeclarations");
        if (!declarations.isObject() || declarations.isEmpty()) {
            problems.add("properties.streamDeclarations must declare at least one Custom-* stream");
        }
        Iterator<Map.Entry<String, JsonNode>> entries = declarations.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String stream = entry.getKey();
            String where = "properties.streamDeclarations." + stream;
            if (!stream.startsWith("Custom-")) {
                problems.add(where + ": declared stream names start with 'Custom-'");
            }
            List<Column> columns = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            JsonNode list = entry.getValue().path("columns");
            if (!list.isArray() || list.isEmpty()) {
                problems.add(where + ".columns must list at least one column");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode column = list.get(i);
                String columnName = column.path("name").asText("");
                String type = column.path("type").asText("");
                if (!TABLE_NAME.matcher(columnName).matches()) {
                    problems.add(where + ".columns[" + i + "].name is missing or invalid: '" + columnName + "'");
                    continue;
                }
                if (!seen.add(columnName)) {
                    problems.add(where + ".columns[" + i + "].name repeats '" + columnName + "'");
                    continue;
                }
                Optional<ColumnType> columnType = streamType(type);
                if (columnType.isEmpty()) {
                    problems.add(where + ".columns[" + i + "].type '" + type
                            + "' is not one of string, int, long, real, boolean, datetime, dynamic");
                    continue;
                }
                columns.add(new Column(columnName, columnType.get()));
            }
            streams.put(stream, columns);
        }
        List<DataFlow> flows = new ArrayList<>();
        JsonNode dataFlows = properties.path("dataFlows");
        if (!dataFlows.isArray() || dataFlows.isEmpty()) {
            problems.add("properties.dataFlows must list at least one data flow");
        }
        for (int i = 0; i < dataFlows.size(); i++) {
            JsonNode flow = dataFlows.get(i);
            String where = "properties.dataFlows[" + i + "]";
            List<String> flowStreams = new ArrayList<>();
            for (JsonNode stream : flow.path("streams")) {
                flowStreams.add(stream.asText());
                if (!streams.containsKey(stream.asText())) {
                    problems.add(where + ".streams: '" + stream.asText() + "' is not declared in streamDeclarations");
                }
            }
            if (flowStreams.isEmpty()) {
                problems.add(where + ".streams must name at least one stream");
                continue;
            }
            // without outputStream a custom stream goes to the table of the same name
            String outputStream = flow.path("outputStream").asText(flowStreams.getFirst());
            String table;
            if (outputStream.startsWith("Custom-") && outputStream.endsWith("_CL")) {
                table = outputStream.substring("Custom-".length());
                if (TableCatalog.isBuiltInName(table)) {
                    problems.add(where + ".outputStream: " + table
                            + " names a built-in table (in any casing); use Microsoft-<Table> to write it");
                }
            } else if (outputStream.startsWith("Microsoft-")) {
                table = outputStream.substring("Microsoft-".length());
                if (builtIn.table(table).isEmpty()) {
                    problems.add(where + ".outputStream: no built-in table " + table);
                }
            } else {
                problems.add(
                        where + ".outputStream '" + outputStream + "' must be Custom-<Name>_CL or Microsoft-<Table>");
                continue;
            }
            if (!TABLE_NAME.matcher(table).matches()) {
                problems.add(where + ".outputStream names an invalid table '" + table + "'");
                continue;
            }
            flows.add(new DataFlow(
                    flowStreams, outputStream, table, flow.path("transformKql").asText("source")));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new DataCollectionRule(immutableId, name, streams, flows, definition);
    }

    /** The column types a stream declaration allows (the DCR schema spells bool "boolean"). */
    private static Optional<ColumnType> streamType(String type) {
        if (type.isBlank()) {
            return Optional.empty();
        }
        try {
            ColumnType columnType = ColumnType.fromReferenceName(type);
            return switch (columnType) {
                case STRING, INT, LONG, REAL, BOOL, DATETIME, DYNAMIC -> Optional.of(columnType);
                case GUID, TIMESPAN -> Optional.empty();
            };
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
