package io.vigil.detect.library;

import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.DataConnector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Warnings for a rule's {@code requiredDataConnectors} whose tables hold no rows: such a rule runs, but cannot
 * fire until its data arrives (Sentinel shows the same as a missing data source in the rule wizard).
 */
public final class RequiredData {
    private RequiredData() {}

    /**
     * One warning per table the rule's connectors name that is not in the workspace or has no rows.
     *
     * @param rowCounts rows per stored table
     * @param tables the names of the workspace's tables
     */
    public static List<String> warnings(AnalyticRule rule, Map<String, Long> rowCounts, Set<String> tables) {
        List<String> warnings = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (DataConnector connector : rule.requiredDataConnectors()) {
            for (String dataType : connector.dataTypes()) {
                String table = tableName(dataType);
                if (table.isEmpty() || !seen.add(table)) {
                    continue;
                }
                if (!tables.contains(table)) {
                    warnings.add("requiredDataConnectors: " + table + " (connector " + connector.connectorId()
                            + ") is not a table of this workspace");
                } else if (rowCounts.getOrDefault(table, 0L) == 0) {
                    warnings.add("requiredDataConnectors: table " + table + " (connector " + connector.connectorId()
                            + ") has no rows; the rule cannot fire until it does");
                }
            }
        }
        return warnings;
    }

    /** Sentinel writes some data types with a qualifier: {@code OfficeActivity (Teams)}. */
    static String tableName(String dataType) {
        String name = dataType.strip();
        int qualifier = name.indexOf(' ');
        if (qualifier >= 0) {
            name = name.substring(0, qualifier);
        }
        return name;
    }
}
