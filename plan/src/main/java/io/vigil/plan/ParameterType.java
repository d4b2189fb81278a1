package io.vigil.plan;

/** What a function parameter accepts; the front end converts arguments to it or reports an error. */
public enum ParameterType {
    ANY,
    STRING,
    LONG,
    REAL,
    /** int, long or real. */
    NUMBER,
    BOOL,
    DATETIME,
    TIMESPAN,
    DYNAMIC,
    /** int, long, real, datetime or timespan: what {@code bin} and comparisons take. */
    ORDERED
}
