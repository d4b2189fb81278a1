package io.vigil.store;

import io.vigil.spi.Column;
import io.vigil.spi.TableSchema;
import io.vigil.sql.DuckDbSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** DuckDB DDL for catalog tables. Datetimes are UTC {@code TIMESTAMP}s; dynamic is DuckDB {@code JSON}. */
public final class SchemaDdl {
    private SchemaDdl() {}

    /**
     * The DuckDB column name of each column, in order. KQL names are case-sensitive but DuckDB's are
     * not, and AzureDiagnostics has columns differing only in case ({@code clientIP_s}, {@code
     * clientIp_s}): the first keeps its name, later ones get a {@code $2}, {@code $3}... suffix.
     */
    public static List<String> physicalColumnNames(TableSchema table) {
        List<String> names = new ArrayList<>(table.columnCount());
        Map<String, Integer> seen = new HashMap<>();
        for (Column column : table.columns()) {
            int occurrence = seen.merge(column.name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            if (occurrence == 1) {
                names.add(column.name());
            } else {
                names.add(column.name() + "$" + occurrence);
            }
        }
        return names;
    }

    /**
     * The inverse of {@link #physicalColumnNames}: a {@code name$n} that is the n-th column of its name in
     * any casing reads back as {@code name}; every other name is its own.
     */
    public static List<String> logicalColumnNames(List<String> physicalNames) {
        List<String> names = new ArrayList<>(physicalNames.size());
        Map<String, Integer> seen = new HashMap<>();
        for (String physical : physicalNames) {
            String name = physical;
            int dollar = physical.lastIndexOf('$');
            if (dollar > 0 && isNumber(physical.substring(dollar + 1))) {
                String base = physical.substring(0, dollar);
                int occurrence = Integer.parseInt(physical.substring(dollar + 1));
                if (occurrence >= 2 && seen.getOrDefault(base.toLowerCase(Locale.ROOT), 0) == occurrence - 1) {
                    name = base;
                }
            }
            seen.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum);
            names.add(name);
        }
        return names;
    }

    private static boolean isNumber(String text) {
        if (text.isEmpty() || text.length() > 6) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    public static String createTable(TableSchema table) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(SqlNames.quoteIdentifier(table.name()))
                .append(" (\n");
        List<String> physicalNames = physicalColumnNames(table);
        for (int i = 0; i < table.columnCount(); i++) {
            Column column = table.columns().get(i);
            sql.append("  ")
                    .append(SqlNames.quoteIdentifier(physicalNames.get(i)))
                    .append(' ')
                    .append(DuckDbSchema.typeName(column.type()))
                    .append(",\n");
        }
        sql.append("  ")
                .append(SqlNames.quoteIdentifier(HiddenColumns.INGESTION_TIME))
                .append(" TIMESTAMP NOT NULL,\n");
        sql.append("  ")
                .append(SqlNames.quoteIdentifier(HiddenColumns.BATCH_ID))
                .append(" BIGINT NOT NULL,\n");
        sql.append("  ")
                .append(SqlNames.quoteIdentifier(HiddenColumns.ROW_SEQUENCE))
                .append(" BIGINT NOT NULL\n");
        return sql.append(")").toString();
    }
}
