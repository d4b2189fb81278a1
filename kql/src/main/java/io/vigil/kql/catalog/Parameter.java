package io.vigil.kql.catalog;

import static java.util.Objects.requireNonNull;

/** One parameter of a signature; {@code optional} ones may be left out from the end. */
public record Parameter(String name, ParameterKind kind, boolean optional) {
    public Parameter {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
    }

    /** As the docs show it: {@code name: kind}, in brackets when optional. */
    public String text() {
        String text = name + ": " + kind.word();
        if (optional) {
            return "[" + text + "]";
        }
        return text;
    }
}
