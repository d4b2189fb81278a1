package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Diagnostic;

/**
 * Something that did not stop a query but that its caller must hear about, as Log Analytics reports a
 * partial success: a KQL warning such as KQL216 (a fuzzy union left out a leg), or a result cut short
 * by a limit. {@code code} is stable: the diagnostic's KQL code, or the engine's code of the limit
 * ({@link #RESULT_TOO_LARGE}, {@link #TIMEOUT}). {@code line} and {@code column} are 1-based, 0 when the
 * warning has no position in the query text.
 */
public record QueryWarning(String code, String message, int line, int column) {
    /** Kusto's code for a result cut at the record or size limit (E_QUERY_RESULT_SET_TOO_LARGE, errors in native code). */
    public static final String RESULT_TOO_LARGE = "E_QUERY_RESULT_SET_TOO_LARGE";

    /** The rows read before the query's time ran out; the same code the API answers a timeout with. */
    public static final String TIMEOUT = "GatewayTimeout";

    public QueryWarning {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("negative position");
        }
    }

    public static QueryWarning of(Diagnostic diagnostic) {
        return new QueryWarning(diagnostic.code().code(), diagnostic.message(), diagnostic.line(), diagnostic.column());
    }

    /** A warning of the engine, not of a place in the query text. */
    public static QueryWarning engine(String code, String message) {
        return new QueryWarning(code, message, 0, 0);
    }

    public boolean hasPosition() {
        return line > 0 && column > 0;
    }
}
