package io.vigil.kql.syntax;

/** Scalar literal kinds. source: https://learn.microsoft.com/kusto/query/scalar-data-types/ */
public enum LiteralKind {
    STRING,
    LONG,
    INT,
    REAL,
    DECIMAL,
    BOOLEAN,
    DATETIME,
    TIMESPAN,
    GUID,
    /** {@code null} inside {@code dynamic(...)}. */
    NULL
}
