package io.vigil.kql.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A tabular operator of the registry, with its syntax and, when bound, a query using it that the tests bind. */
public record OperatorEntry(
        String name, Support support, String syntax, String description, Optional<String> example, String page) {
    public OperatorEntry {
        requireNonNull(name, "name is null");
        requireNonNull(support, "support is null");
        requireNonNull(syntax, "syntax is null");
        requireNonNull(description, "description is null");
        requireNonNull(example, "example is null");
        requireNonNull(page, "page is null");
        if (support == Support.BOUND && example.isEmpty()) {
            throw new IllegalArgumentException(name + ": a bound operator has an example");
        }
    }

    public boolean bound() {
        return support == Support.BOUND;
    }
}
