package io.vigil.kql.syntax;

/** How bad a diagnostic is; errors make a query unusable, warnings do not. */
public enum Severity {
    ERROR,
    WARNING
}
