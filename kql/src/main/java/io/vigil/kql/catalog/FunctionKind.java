package io.vigil.kql.catalog;

/** Where a query calls a function. */
public enum FunctionKind {
    /** On values of a row: {@code tolower(x)}. */
    SCALAR,
    /** In {@code summarize}, over the rows of a group: {@code count()}. */
    AGGREGATE,
    /** On serialized rows, reading neighbouring rows: {@code prev(x)}, {@code row_number()}. */
    WINDOW,
    /** With {@code evaluate}: {@code bag_unpack}, {@code pivot}. */
    PLUGIN
}
