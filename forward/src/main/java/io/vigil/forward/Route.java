package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a sink receives, like an Azure diagnostic setting's categories: the rows of the chosen tables.
 * {@code alerts} stands for SecurityAlert and {@code incidents} for SecurityIncident; {@code table:NAME}
 * picks a table (case as in the catalog; Vigil's table names compare without case).
 *
 * <p>A table may have a KQL filter, the tail of a pipeline after the table ({@code where ResultType != "0" |
 * project TimeGenerated, UserPrincipalName}), run over each committed batch's rows like a data export rule
 * or a DCR transformation ({@link RouteFilter}); its result rows are what the sink sends.
 *
 * @param filters KQL filter text by table, as the tables are spelled in {@code tables}
 */
public record Route(Set<String> tables, Map<String, String> filters) {
    public Route {
        tables = Set.copyOf(requireNonNull(tables, "tables is null"));
        filters = Map.copyOf(requireNonNull(filters, "filters is null"));
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one table");
        }
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            if (!tables.contains(filter.getKey())) {
                throw new IllegalArgumentException("a filter for " + filter.getKey() + ", which is not routed");
            }
            if (filter.getValue().isBlank()) {
                throw new IllegalArgumentException("the filter for " + filter.getKey() + " is empty");
            }
        }
    }

    public Route(Set<String> tables) {
        this(tables, Map.of());
    }

    /** Parses {@code alerts}, {@code incidents} and {@code table:NAME} entries. */
    public static Route parse(List<String> entries) {
        Set<String> tables = new TreeSet<>();
        for (String entry : entries) {
            tables.add(table(entry));
        }
        return new Route(tables);
    }

    /** The route with {@code kql} filtering the rows of the table a route entry ({@code table:NAME}…) names. */
    public Route withFilter(String entry, String kql) {
        requireNonNull(kql, "kql is null");
        String table = table(entry);
        if (!tables.contains(table)) {
            throw new IllegalArgumentException("a filter for route '" + entry + "', which is not routed");
        }
        Map<String, String> more = new TreeMap<>(filters);
        if (more.put(table, kql.strip()) != null) {
            throw new IllegalArgumentException("route '" + entry + "' has two filters");
        }
        return new Route(tables, more);
    }

    /** The table a route entry names. */
    public static String table(String entry) {
        String trimmed = entry.strip();
        if (trimmed.equals("alerts")) {
            return "SecurityAlert";
        }
        if (trimmed.equals("incidents")) {
            return "SecurityIncident";
        }
        if (trimmed.startsWith("table:") && trimmed.length() > "table:".length()) {
            return trimmed.substring("table:".length());
        }
        throw new IllegalArgumentException("route '" + entry + "' is not alerts, incidents or table:NAME");
    }

    /** The route entry naming {@code table}, as the CLI and the sinks file spell it. */
    public static String entry(String table) {
        return switch (table) {
            case "SecurityAlert" -> "alerts";
            case "SecurityIncident" -> "incidents";
            default -> "table:" + table;
        };
    }

    public boolean includes(String table) {
        String lower = table.toLowerCase(Locale.ROOT);
        return tables.stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).equals(lower));
    }

    /** The filter of a routed table, compared without case. */
    public Optional<String> filter(String table) {
        String lower = table.toLowerCase(Locale.ROOT);
        return filters.entrySet().stream()
                .filter(filter -> filter.getKey().toLowerCase(Locale.ROOT).equals(lower))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
