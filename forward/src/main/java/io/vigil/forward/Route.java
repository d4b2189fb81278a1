package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a sink receives, like an Azure diagnostic setting's categories: the rows of the chosen tables.
 * {@code alerts} stands for SecurityAlert and {@code incidents} for SecurityIncident; {@code table:NAME}
 * picks a table (case as in the catalog; Vigil's table names compare without case).
 */
public record Route(Set<String> tables) {
    public Route {
        tables = Set.copyOf(requireNonNull(tables, "tables is null"));
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one table");
        }
    }

    /** Parses {@code alerts}, {@code incidents} and {@code table:NAME} entries. */
    public static Route parse(List<String> entries) {
        Set<String> tables = new TreeSet<>();
        for (String entry : entries) {
            String trimmed = entry.strip();
            if (trimmed.equals("alerts")) {
                tables.add("SecurityAlert");
            } else if (trimmed.equals("incidents")) {
                tables.add("SecurityIncident");
            } else if (trimmed.startsWith("table:") && trimmed.length() > "table:".length()) {
                tables.add(trimmed.substring("table:".length()));
            } else {
                throw new IllegalArgumentException("route '" + entry + "' is not alerts, incidents or table:NAME");
            }
        }
        return new Route(tables);
    }

    public boolean includes(String table) {
        String lower = table.toLowerCase(Locale.ROOT);
        return tables.stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).equals(lower));
    }
}
