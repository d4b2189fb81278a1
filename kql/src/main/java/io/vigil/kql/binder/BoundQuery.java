package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Diagnostic;
import io.vigil.plan.PlanNode;
import java.util.List;
import java.util.Optional;

/**
 * The plan of a query's result (absent when there were errors), every diagnostic, and the last
 * {@code render} the query ends with, if any.
 */
public record BoundQuery(Optional<PlanNode> plan, List<Diagnostic> diagnostics, Optional<RenderHint> render) {
    public BoundQuery {
        requireNonNull(plan, "plan is null");
        diagnostics = List.copyOf(requireNonNull(diagnostics, "diagnostics is null"));
        requireNonNull(render, "render is null");
    }

    public BoundQuery(Optional<PlanNode> plan, List<Diagnostic> diagnostics) {
        this(plan, diagnostics, Optional.empty());
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
