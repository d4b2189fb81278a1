package io.vigil.engine;

import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Span;
import io.vigil.spi.StandardErrorCode;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a failed DuckDB statement tells the caller. An error the query's own values caused (an invalid regular
 * expression or JSON path, a value out of range, a conversion that cannot be done) is the caller's: a 400 with
 * DuckDB's one-line reason, which names the value and not the SQL. Running out of the store's memory is the
 * query's size, also not worth a retry. Anything else is Vigil's: a 500 that says only where to look, while
 * the SQL error with its fragments goes to the server log under an id the answer carries.
 */
final class StoreErrors {
    private static final Logger LOG = Logger.getLogger(StoreErrors.class.getName());

    /** DuckDB's error types that only a query's values or size cause (duckdb's ExceptionType names). */
    private static final List<String> CALLER_ERRORS =
            List.of("Invalid Input Error: ", "Conversion Error: ", "Out of Range Error: ");

    private static final String OUT_OF_MEMORY = "Out of Memory Error: ";

    private StoreErrors() {}

    static QueryException classify(SQLException exception, String query) {
        String message = firstLine(exception.getMessage());
        if (message.startsWith(OUT_OF_MEMORY)) {
            return new QueryException(
                    StandardErrorCode.QUERY_RESOURCES_EXCEEDED,
                    "The query needed more memory than the store allows (its DuckDB memory limit, docs/limits.md):"
                            + " filter or summarize before expanding or joining rows",
                    exception);
        }
        if (message.startsWith("Parser Error: Max expression depth")) {
            return new QueryException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    "The query is too complex: its translation nests expressions deeper than 1,000 levels",
                    List.of(Diagnostic.create(query, DiagnosticCode.NESTING_TOO_DEEP, Span.empty(0))));
        }
        if (message.startsWith("Binder Error: JSON path error")) {
            return userError(query, "Invalid JSON path: " + message.substring("Binder Error: ".length()));
        }
        for (String prefix : CALLER_ERRORS) {
            if (message.startsWith(prefix)) {
                return userError(query, "The query failed on a value: " + message.substring(prefix.length()));
            }
        }
        String id = UUID.randomUUID().toString();
        LOG.log(Level.WARNING, "query failed in the store (error id " + id + "): " + exception.getMessage());
        return new QueryException(
                StandardErrorCode.STORE_FAILURE,
                "The query failed in the store; the server log has the details under error id " + id,
                exception);
    }

    private static QueryException userError(String query, String message) {
        Diagnostic diagnostic = Diagnostic.create(query, DiagnosticCode.RUNTIME_VALUE_ERROR, Span.empty(0), message);
        return new QueryException(StandardErrorCode.INVALID_ARGUMENT, message, List.of(diagnostic));
    }

    /** The first line: DuckDB adds the SQL text and a caret on the lines after it. */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("").strip();
        // some drivers put the exception class in front
        String prefix = "java.sql.SQLException: ";
        if (line.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
            return line.substring(prefix.length());
        }
        return line;
    }
}
