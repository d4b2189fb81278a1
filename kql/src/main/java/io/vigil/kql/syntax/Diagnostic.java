package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

/**
 * A problem found in query text: stable code, formatted message, span and the 1-based line and
 * column of the span start (columns count UTF-16 units, as editors do).
 */
public record Diagnostic(DiagnosticCode code, String message, Span span, int line, int column) {
    public Diagnostic {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(span, "span is null");
    }

    public Severity severity() {
        return code.severity();
    }

    public boolean isError() {
        return code.severity() == Severity.ERROR;
    }

    /** A diagnostic at a span of {@code source}, with its line and column computed. */
    public static Diagnostic create(String source, DiagnosticCode code, Span span, Object... arguments) {
        int line = 1;
        int column = 1;
        int limit = Math.min(span.start(), source.length());
        for (int index = 0; index < limit; index++) {
            if (source.charAt(index) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Diagnostic(code, code.format(arguments), span, line, column);
    }

    @Override
    public String toString() {
        return code.code() + " " + line + ":" + column + " " + message;
    }
}
