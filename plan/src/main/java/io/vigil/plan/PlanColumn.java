package io.vigil.plan;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.ColumnType;

/**
 * A column of a relation: its KQL name and type. Hidden columns (the ingestion time behind {@code
 * ingestion_time()}) travel with the rows of a table but are left out of {@code *} and of results.
 */
public record PlanColumn(String name, ColumnType type, boolean hidden) {
    public PlanColumn {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public PlanColumn(String name, ColumnType type) {
        this(name, type, false);
    }
}
