package io.vigil.spi;

/** Who has to act on an error: the user, Vigil's developers, an external system, or the operator. */
public enum ErrorCategory {
    USER,
    INTERNAL,
    EXTERNAL,
    RESOURCE
}
