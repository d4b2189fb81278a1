package io.vigil.spi;

import java.util.Collection;
import java.util.Optional;

/**
 * The tables of a workspace, read only: what a format builds rows against ({@link ParseContext}) and what
 * {@link EventStore#catalog()} shows. The catalog itself (built-in schemas, custom tables, growing tables)
 * is {@code io.vigil.catalog.TableCatalog} in the {@code catalog} module; the SPI holds only this view.
 */
public interface TableCatalogView {
    /** The table named exactly {@code name}. */
    Optional<TableSchema> table(String name);

    /**
     * The table named {@code name} in any casing. Log Analytics table names are case-insensitive where a
     * table is created or written, while KQL resolves them exactly.
     */
    Optional<TableSchema> tableIgnoringCase(String name);

    /** Every table, ordered by name. */
    Collection<TableSchema> tables();

    /** The table named exactly {@code name}; TABLE_NOT_FOUND when there is none. */
    default TableSchema require(String name) {
        return table(name)
                .orElseThrow(() -> new VigilException(StandardErrorCode.TABLE_NOT_FOUND, "table not found: " + name));
    }
}
