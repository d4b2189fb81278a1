package io.vigil.kql.binder;

import io.vigil.plan.PlanColumn;
import java.util.List;

/** The columns an expression can refer to; {@code leftCount} splits a join's two sides, or is -1. */
record RowScope(List<PlanColumn> columns, int leftCount) {
    static final RowScope EMPTY = new RowScope(List.of(), -1);

    RowScope(List<PlanColumn> columns) {
        this(columns, -1);
    }
}
