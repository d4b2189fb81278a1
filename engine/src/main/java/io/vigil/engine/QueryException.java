package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Diagnostic;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.util.List;

/** A query that did not run: its diagnostics (user errors) or a failure of the engine, with a code. */
public final class QueryException extends VigilException {
    private final List<Diagnostic> diagnostics;

    public QueryException(StandardErrorCode code, String message, List<Diagnostic> diagnostics) {
        super(code, message);
        this.diagnostics = List.copyOf(requireNonNull(diagnostics, "diagnostics is null"));
    }

    public QueryException(StandardErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
        this.diagnostics = List.of();
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
