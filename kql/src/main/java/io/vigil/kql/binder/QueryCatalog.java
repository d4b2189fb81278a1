package io.vigil.kql.binder;

import io.vigil.plan.PlanNode;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The tables a query can read; the application implements it over its store. */
public interface QueryCatalog {
    Optional<CatalogTable> table(String name);

    /** Every table name, for wildcard {@code union}. */
    Collection<String> tableNames();

    /**
     * The schema probe of {@code evaluate bag_unpack} without an output schema, whose columns come from the
     * data (bag-unpack-plugin): the distinct top-level keys of the bags in column {@code column} of
     * {@code input}, each with the KQL types of its values, in key order. An implementation runs
     * {@code input} as the query would (same plan, user values still parameters), reads at most
     * {@code maximumRows} of its rows, and returns at most {@code maximumKeys + 1} keys so the binder can tell
     * that there were more. Empty when this catalog cannot run queries (the binder then asks for the output
     * schema form).
     */
    default Optional<List<BagSlot>> bagSlots(PlanNode input, int column, int maximumRows, int maximumKeys) {
        return Optional.empty();
    }

    /**
     * The probe of {@code evaluate pivot} without an output schema, whose columns are the values of a column
     * (pivot-plugin): the distinct values of the string column {@code column} of {@code input} over all its rows,
     * in the order in which they first occur, null included. An implementation runs {@code input} as the query
     * would and returns at most {@code maximumValues + 1} values so the binder can tell that there were more.
     * Empty when this catalog cannot run queries.
     */
    default Optional<List<String>> distinctValues(PlanNode input, int column, int maximumValues) {
        return Optional.empty();
    }
}
