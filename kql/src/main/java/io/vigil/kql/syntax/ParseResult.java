package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The tree and every diagnostic, lexical and syntactic, in source order. */
public record ParseResult(Script script, List<Diagnostic> diagnostics) {
    public ParseResult {
        requireNonNull(script, "script is null");
        diagnostics = List.copyOf(requireNonNull(diagnostics, "diagnostics is null"));
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
