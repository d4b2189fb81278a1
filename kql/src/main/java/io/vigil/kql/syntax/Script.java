package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A whole query text: statements separated by {@code ;}. */
public record Script(Span span, List<Statement> statements) implements SyntaxNode {
    public Script {
        requireNonNull(span, "span is null");
        statements = List.copyOf(requireNonNull(statements, "statements is null"));
    }
}
