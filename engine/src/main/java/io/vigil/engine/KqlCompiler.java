package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.binder.BindOptions;
import io.vigil.kql.binder.Binder;
import io.vigil.kql.binder.BoundQuery;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.KqlParser;
import io.vigil.kql.syntax.ParseResult;
import io.vigil.kql.syntax.Span;
import io.vigil.plan.PlanNode;
import io.vigil.spi.StandardErrorCode;
import io.vigil.sql.DuckDbDialect;
import io.vigil.sql.PlanToSql;
import io.vigil.sql.SqlStatement;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Text to a compiled query: parse, bind against the source's tables, plan, render DuckDB SQL. */
final class KqlCompiler {
    private final Function<TableAccess, SourceCatalog> catalogs;

    /**
     * @param catalogs a fresh catalog per compilation for a caller's table access, which records the tables that
     *     compilation touches
     */
    KqlCompiler(Function<TableAccess, SourceCatalog> catalogs) {
        this.catalogs = requireNonNull(catalogs, "catalogs is null");
    }

    /**
     * Compiles {@code text}; user errors come back as a {@link Compilation.Rejected}, never thrown. A plan
     * the SQL renderer cannot render is the engine's fault and throws INTERNAL_ERROR.
     */
    Compilation compile(String text, QueryParameters parameters, TableAccess access) {
        requireNonNull(text, "text is null");
        requireNonNull(parameters, "parameters is null");
        requireNonNull(access, "access is null");
        ParseResult parsed = KqlParser.parse(text);
        SourceCatalog catalog = catalogs.apply(access);
        BoundQuery bound = Binder.bind(text, parsed, catalog, bindOptions(parameters));
        if (bound.hasErrors() || bound.plan().isEmpty()) {
            List<Diagnostic> errors =
                    bound.diagnostics().stream().filter(Diagnostic::isError).toList();
            if (errors.isEmpty()) {
                errors = List.of(Diagnostic.create(text, DiagnosticCode.NO_QUERY, Span.empty(text.length())));
            }
            return new Compilation.Rejected(text, errors);
        }
        PlanNode plan = bound.plan().get();
        List<Diagnostic> warnings = bound.diagnostics().stream()
                .filter(diagnostic -> !diagnostic.isError())
                .toList();
        SqlStatement sql;
        try {
            sql = PlanToSql.render(plan, DuckDbDialect.INSTANCE);
        } catch (UnsupportedOperationException exception) {
            throw new QueryException(StandardErrorCode.INTERNAL_ERROR, exception.getMessage(), exception);
        }
        return new CompiledQuery(text, parameters, plan, sql, bound.render(), warnings, catalog.touchedTables());
    }

    private static BindOptions bindOptions(QueryParameters parameters) {
        Optional<BindOptions.TimeRange> range =
                parameters.window().map(window -> new BindOptions.TimeRange(window.start(), window.end()));
        return new BindOptions(parameters.now(), range);
    }
}
