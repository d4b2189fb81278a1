package io.vigil.plan;

import static java.util.Objects.requireNonNull;

/**
 * Functions over the rows of a {@link PlanNode.Window} in their input order (KQL's serialized row set,
 * window-functions). Each has a stable snake_case name and a one-line description.
 */
public enum WindowFunction {
    /** {@code (value, offset, default)}: the value {@code offset} rows before, or the default. */
    PREVIOUS("prev", "The value of a row a given number of rows before, or a default"),
    /** {@code (value, offset, default)}: the value {@code offset} rows after, or the default. */
    NEXT("next", "The value of a row a given number of rows after, or a default"),
    /** {@code (start [, restart])}: numbers rows from {@code start}, again from {@code start} where restart holds. */
    ROW_NUMBER("row_number", "Row number from a starting index, restarting where a predicate holds"),
    /** {@code (term [, restart])}: running sum, starting anew where restart holds. */
    ROW_CUMSUM("row_cumsum", "Running sum of a column, restarting where a predicate holds"),
    /**
     * {@code (value, maxFromFirst, maxBetweenNeighbors [, restart])}: the value of the first row of the
     * current session; a session ends when a value is too far from its first or from its neighbour.
     */
    ROW_WINDOW_SESSION("row_window_session", "Start of the session window the row belongs to"),
    /** {@code (term, restart)}: 1, then one more each time the term differs from the row before. */
    ROW_RANK_DENSE(
            "row_rank_dense", "Dense rank: grows by one whenever the term changes, restarting where a predicate holds"),
    /** {@code (term, restart)}: the row number (within the restart) of the first row of the current run of equal terms. */
    ROW_RANK_MIN(
            "row_rank_min",
            "Minimal rank: the row number of the first row with the current term, restarting where a predicate holds");

    private final String functionName;
    private final String description;

    WindowFunction(String functionName, String description) {
        this.functionName = requireNonNull(functionName, "functionName is null");
        this.description = requireNonNull(description, "description is null");
    }

    public String functionName() {
        return functionName;
    }

    public String description() {
        return description;
    }
}
