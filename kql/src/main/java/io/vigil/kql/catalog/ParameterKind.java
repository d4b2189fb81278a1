package io.vigil.kql.catalog;

import java.util.Locale;

/** The kind of value a parameter takes, as the registry's signatures spell it. */
public enum ParameterKind {
    /** Any scalar value. */
    SCALAR,
    STRING,
    LONG,
    REAL,
    /** An int, long or real (a dynamic value is converted). */
    NUMBER,
    BOOL,
    DATETIME,
    TIMESPAN,
    DYNAMIC,
    GUID,
    /** A constant (literal or constant let) whose value changes how the call binds. */
    CONSTANT,
    /** A tabular expression: {@code toscalar(T | count)}. */
    TABULAR,
    /** A column of the input, by name. */
    COLUMN,
    /** A type: {@code typeof(long)}. */
    TYPE;

    /** The word the registry and the docs use. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ParameterKind ofWord(String word) {
        for (ParameterKind kind : values()) {
            if (kind.word().equals(word)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown parameter kind '" + word + "'");
    }
}
