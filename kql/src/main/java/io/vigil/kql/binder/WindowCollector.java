package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.ColumnReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The window function calls ({@code prev}, {@code next}, {@code row_number}...) met while binding one
 * extend or project. Each call becomes a hidden column after the input's columns; {@link #wrap()} puts
 * them in {@link PlanNode.Window} nodes under the projection, a new node wherever a call reads another
 * call's column ({@code row_window_session(..., prev(a) != a)}).
 */
final class WindowCollector {
    private final PlanNode input;
    private final List<PlanNode.WindowCall> calls = new ArrayList<>();

    WindowCollector(PlanNode input) {
        this.input = requireNonNull(input, "input is null");
    }

    /**
     * Whether the rows have an order window functions may follow: KQL's serialized row set comes from
     * sort, top and serialize, and extend, project, where, take and mv-expand keep it (window-functions).
     */
    static boolean isSerialized(PlanNode plan) {
        return switch (plan) {
            case PlanNode.Sort sort -> true;
            case PlanNode.Window window -> true;
            case PlanNode.Project project -> isSerialized(project.input());
            case PlanNode.Filter filter -> isSerialized(filter.input());
            case PlanNode.Limit limit -> isSerialized(limit.input());
            case PlanNode.Unnest unnest -> isSerialized(unnest.input());
            case PlanNode.TableScan scan -> false;
            case PlanNode.Values values -> false;
            case PlanNode.Series series -> false;
            case PlanNode.Aggregate aggregate -> false;
            case PlanNode.Deduplicate deduplicate -> false;
            case PlanNode.Join join -> false;
            case PlanNode.Union union -> false;
            // a stored result is scanned in no promised order, whatever order it was written in
            case PlanNode.Spool spool -> false;
        };
    }

    boolean inputSerialized() {
        return isSerialized(input);
    }

    /** Adds a call; the reference is to its column in the wrapped input. */
    ColumnReference add(PlanNode.WindowCall call) {
        int index = input.columns().size() + calls.size();
        calls.add(call);
        return new ColumnReference(index, name(index), call.type());
    }

    private static String name(int position) {
        return "$window" + position;
    }

    /** The input with a column per call, in the order of {@link #add}. */
    PlanNode wrap() {
        PlanNode current = input;
        List<PlanNode.WindowCall> level = new ArrayList<>();
        int levelStart = input.columns().size();
        for (PlanNode.WindowCall call : calls) {
            int highest = -1;
            for (ScalarExpression argument : call.arguments()) {
                highest = Math.max(highest, highestColumn(argument));
            }
            if (highest >= levelStart) {
                current = window(current, level);
                levelStart = current.columns().size();
                level = new ArrayList<>();
            }
            level.add(call);
        }
        if (!level.isEmpty()) {
            current = window(current, level);
        }
        return current;
    }

    private static PlanNode window(PlanNode input, List<PlanNode.WindowCall> level) {
        List<PlanColumn> columns = new ArrayList<>(input.columns());
        for (PlanNode.WindowCall call : level) {
            columns.add(new PlanColumn(name(columns.size()), call.type(), true));
        }
        return new PlanNode.Window(input, level, columns);
    }

    private static int highestColumn(ScalarExpression expression) {
        return switch (expression) {
            case ScalarExpression.ColumnReference reference -> reference.index();
            case ScalarExpression.Constant constant -> -1;
            case ScalarExpression.Call call -> {
                int highest = -1;
                for (ScalarExpression argument : call.arguments()) {
                    highest = Math.max(highest, highestColumn(argument));
                }
                yield highest;
            }
            case ScalarExpression.InRelation in -> highestColumn(in.value());
            case ScalarExpression.ScalarSubquery subquery -> -1;
        };
    }
}
