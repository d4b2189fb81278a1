package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tables a query may read: all of them (the system: rules, sinks, DCR transforms, the CLI), or only the
 * tables of a key's table-level read grant, like Log Analytics' table-level RBAC. Names compare ignoring case,
 * as Log Analytics table names do where tables are created (no two tables differ only in case).
 *
 * @param tables the readable tables; empty means every table
 */
public record TableAccess(Optional<Set<String>> tables) {
    /** Every table: what the system and a key without a grant list read. */
    public static final TableAccess ALL = new TableAccess(Optional.empty());

    public TableAccess {
        requireNonNull(tables, "tables is null");
        tables = tables.map(names -> {
            Set<String> lower = new TreeSet<>();
            for (String name : names) {
                lower.add(requireNonNull(name, "table name is null").toLowerCase(Locale.ROOT));
            }
            return Set.copyOf(lower);
        });
    }

    /** Only the named tables. */
    public static TableAccess only(Collection<String> tables) {
        return new TableAccess(Optional.of(Set.copyOf(tables)));
    }

    public boolean mayRead(String table) {
        return tables.isEmpty() || tables.get().contains(table.toLowerCase(Locale.ROOT));
    }

    /** Whether this is {@link #ALL}. */
    public boolean unrestricted() {
        return tables.isEmpty();
    }
}
