package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

/**
 * One token with its leading trivia (whitespace and {@code //} comments). Concatenating {@code
 * trivia + text} of every token, including the final {@link TokenKind#END_OF_FILE}, gives back the
 * source text exactly.
 */
public record Token(TokenKind kind, String text, Span span, String trivia) {
    public Token {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        requireNonNull(span, "span is null");
        requireNonNull(trivia, "trivia is null");
    }

    public boolean hasLeadingTrivia() {
        return !trivia.isEmpty();
    }
}
