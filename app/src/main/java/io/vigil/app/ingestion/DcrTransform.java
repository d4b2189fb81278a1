package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.Column;
import java.util.List;

/**
 * The {@code transformKql} of a data collection rule's data flow, applied to the records of one
 * request before they are typed for the output table. {@link KqlDcrTransform} runs any transform with
 * the KQL engine; {@link #identityOnly()} supports only {@code source} ("Data collection transformations
 * in Azure Monitor", learn.microsoft.com/azure/azure-monitor/essentials/data-collection-transformations:
 * the input stream is a virtual table named {@code source}).
 */
public interface DcrTransform {
    /**
     * Transforms the records of a stream.
     *
     * @param transformKql the data flow's query over {@code source}
     * @param declaredColumns the stream's declared columns, the schema of {@code source}
     * @param records the request's records, each an object keyed by column name
     */
    Result apply(String transformKql, List<Column> declaredColumns, List<ObjectNode> records);

    /** What a transform made of the records, or why it could not run. */
    sealed interface Result permits Transformed, Refused {}

    /**
     * The records for the output table.
     *
     * @param columns the columns the transform produced: the declared ones for {@code source}, else the
     *     transform's result columns (a new custom output table gets these)
     */
    record Transformed(List<ObjectNode> records, List<Column> columns) implements Result {
        public Transformed {
            records = List.copyOf(records);
            columns = List.copyOf(columns);
        }
    }

    /** The transform cannot run; the request is refused with {@code message} (a 400 for the sender). */
    record Refused(String message) implements Result {
        public Refused {
            requireNonNull(message, "message is null");
        }
    }

    /** Runs only the identity transform {@code source}. */
    static DcrTransform identityOnly() {
        return (transformKql, declaredColumns, records) -> {
            if (isIdentity(transformKql)) {
                return new Transformed(records, declaredColumns);
            }
            return new Refused("transformKql '" + transformKql
                    + "' needs the KQL engine, which is not plugged into ingestion yet; only 'source' runs for now");
        };
    }

    /** Whether a transform is the identity: {@code source}, or none at all. */
    static boolean isIdentity(String transformKql) {
        return transformKql == null
                || transformKql.isBlank()
                || transformKql.trim().equals("source");
    }
}
