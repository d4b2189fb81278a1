package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Diagnostic;
import java.util.List;

/** What compiling KQL gives: a {@link CompiledQuery}, or the errors that stopped it. */
public sealed interface Compilation permits CompiledQuery, Compilation.Rejected {
    /** The query does not compile: every error diagnostic, in source order; never empty. */
    record Rejected(String text, List<Diagnostic> errors) implements Compilation {
        public Rejected {
            requireNonNull(text, "text is null");
            errors = List.copyOf(requireNonNull(errors, "errors is null"));
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a rejected query has at least one error");
            }
        }
    }
}
