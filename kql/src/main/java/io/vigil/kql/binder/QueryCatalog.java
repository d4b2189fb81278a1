package io.vigil.kql.binder;

import java.util.Collection;
import java.util.Optional;

/** The tables a query can read; the application implements it over its store. */
public interface QueryCatalog {
    Optional<CatalogTable> table(String name);

    /** Every table name, for wildcard {@code union}. */
    Collection<String> tableNames();
}
