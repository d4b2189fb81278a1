package io.vigil.kql.catalog;

/** Whether Vigil binds a function or operator the KQL reference defines. */
public enum Support {
    /** The binder lowers it to the plan. */
    BOUND,
    /** Known to KQL, not bound here: a query using it gets "unsupported" (KQL250, KQL251), not "unknown". */
    UNSUPPORTED
}
