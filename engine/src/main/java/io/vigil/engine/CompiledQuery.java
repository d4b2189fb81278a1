package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.binder.RenderHint;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.spi.Column;
import io.vigil.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A query ready to run: its text, the parameters it was bound with, the relational plan, the SQL rendered
 * from it (user values as parameters), its {@code render}, its warning diagnostics, and the tables it
 * touches. Running it again sees the same {@code now()} and window.
 */
public record CompiledQuery(
        String text,
        QueryParameters parameters,
        PlanNode plan,
        SqlStatement sql,
        Optional<RenderHint> render,
        List<Diagnostic> warnings,
        List<String> tables)
        implements Compilation {
    public CompiledQuery {
        requireNonNull(text, "text is null");
        requireNonNull(parameters, "parameters is null");
        requireNonNull(plan, "plan is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(render, "render is null");
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        tables = List.copyOf(requireNonNull(tables, "tables is null"));
    }

    /** The result's visible columns with their KQL types, in order: the schema of what a run returns. */
    public List<Column> schema() {
        List<Column> columns = new ArrayList<>();
        for (PlanColumn column : plan.columns()) {
            if (!column.hidden()) {
                columns.add(new Column(column.name(), column.type()));
            }
        }
        return columns;
    }
}
