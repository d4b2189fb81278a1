package io.vigil.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A stable, indented text form of a plan for golden files and debugging. */
public final class PlanPrinter {
    private PlanPrinter() {}

    public static String print(PlanNode node) {
        StringBuilder text = new StringBuilder();
        print(node, 0, text, new HashSet<>());
        return text.toString();
    }

    private static void print(PlanNode node, int depth, StringBuilder text, Set<Integer> printedSpools) {
        text.append("  ".repeat(depth)).append(describe(node));
        if (node instanceof PlanNode.Spool spool && !printedSpools.add(spool.id())) {
            // a spool is computed once; its input is printed where it is first read
            text.append(" (shared, input above)\n");
            return;
        }
        text.append('\n');
        for (PlanNode input : node.inputs()) {
            print(input, depth + 1, text, printedSpools);
        }
    }

    private static String describe(PlanNode node) {
        return switch (node) {
            case PlanNode.TableScan scan -> "TableScan " + scan.table() + " " + columns(scan.columns());
            case PlanNode.Series series ->
                "Series " + columns(List.of(series.column())) + " from " + expression(series.start()) + " to "
                        + expression(series.stop()) + " step " + expression(series.step());
            case PlanNode.Values values ->
                "Values " + columns(values.columns()) + " rows="
                        + values.rows().stream()
                                .map(row -> row.stream()
                                        .map(PlanPrinter::expression)
                                        .collect(Collectors.joining(", ", "(", ")")))
                                .collect(Collectors.joining(", "));
            case PlanNode.Filter filter -> "Filter " + expression(filter.condition());
            case PlanNode.Project project -> {
                StringBuilder items = new StringBuilder("Project ");
                for (int index = 0; index < project.columns().size(); index++) {
                    if (index > 0) {
                        items.append(", ");
                    }
                    items.append(project.columns().get(index).name()).append('=');
                    items.append(expression(project.expressions().get(index)));
                }
                yield items.toString();
            }
            case PlanNode.Aggregate aggregate -> {
                StringBuilder items = new StringBuilder("Aggregate keys=[");
                int column = 0;
                for (ScalarExpression key : aggregate.groupKeys()) {
                    if (column > 0) {
                        items.append(", ");
                    }
                    items.append(aggregate.columns().get(column++).name())
                            .append('=')
                            .append(expression(key));
                }
                items.append("] aggregates=[");
                for (int index = 0; index < aggregate.aggregates().size(); index++) {
                    if (index > 0) {
                        items.append(", ");
                    }
                    PlanNode.AggregateCall call = aggregate.aggregates().get(index);
                    items.append(aggregate.columns().get(column++).name())
                            .append('=')
                            .append(call.function().functionName())
                            .append(call.arguments().stream()
                                    .map(PlanPrinter::expression)
                                    .collect(Collectors.joining(", ", "(", ")")))
                            .append(':')
                            .append(call.type().kqlName());
                }
                yield items.append(']').toString();
            }
            case PlanNode.Sort sort -> {
                String keys = sort.keys().stream()
                        .map(key -> expression(key.expression())
                                + (key.ascending() ? " asc" : " desc")
                                + (key.nullsFirst() ? " nulls first" : " nulls last"))
                        .collect(Collectors.joining(", "));
                String limit = "";
                if (sort.limit().isPresent()) {
                    limit = " limit=" + sort.limit().getAsLong();
                }
                yield "Sort " + keys + limit;
            }
            case PlanNode.Limit limit -> "Limit " + limit.count();
            case PlanNode.Deduplicate deduplicate -> "Deduplicate keys=" + deduplicate.keys();
            case PlanNode.Join join ->
                "Join " + join.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + expression(join.condition())
                        + " " + columns(join.columns());
            case PlanNode.Union union -> "Union " + columns(union.columns());
            case PlanNode.Unnest unnest ->
                "Unnest "
                        + unnest.expanded().stream().map(index -> "#" + index).collect(Collectors.joining(", "))
                        + unnest.withItemIndex()
                                .map(name -> " with_itemindex=" + name)
                                .orElse("")
                        + (unnest.limit().isPresent()
                                ? " limit=" + unnest.limit().getAsLong()
                                : "")
                        + (unnest.bagExpansion() == PlanNode.Unnest.BagExpansion.ARRAY ? " kind=array" : "");
            case PlanNode.Spool spool -> "Spool #" + spool.id() + " " + columns(spool.columns());
            case PlanNode.Window window ->
                "Window "
                        + window.functions().stream()
                                .map(call -> call.function().functionName()
                                        + call.arguments().stream()
                                                .map(PlanPrinter::expression)
                                                .collect(Collectors.joining(", ", "(", ")"))
                                        + ":" + call.type().kqlName())
                                .collect(Collectors.joining(", ", "[", "]"));
        };
    }

    private static String columns(List<PlanColumn> columns) {
        return columns.stream()
                .map(column -> column.name() + ":" + column.type().kqlName() + (column.hidden() ? "(hidden)" : ""))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    public static String expression(ScalarExpression expression) {
        return switch (expression) {
            case ScalarExpression.ColumnReference reference -> "#" + reference.index() + ":" + reference.name();
            case ScalarExpression.Constant constant -> constant(constant);
            case ScalarExpression.Call call ->
                call.function().functionName()
                        + call.arguments().stream()
                                .map(PlanPrinter::expression)
                                .collect(Collectors.joining(", ", "(", ")"));
            case ScalarExpression.ScalarSubquery subquery ->
                "toscalar(<" + subquery.relation().getClass().getSimpleName() + " "
                        + columns(subquery.relation().columns()) + ">)";
            case ScalarExpression.InRelation in ->
                (in.ignoreCase() ? "in_ignore_case(" : "in(")
                        + expression(in.value()) + ", <"
                        + in.relation().getClass().getSimpleName() + " "
                        + columns(in.relation().columns()) + ">)";
        };
    }

    private static String constant(ScalarExpression.Constant constant) {
        Object value = constant.value();
        String type = constant.type().kqlName();
        if (value == null) {
            return type + "(null)";
        }
        return switch (value) {
            case String text -> type + "(" + quote(text) + ")";
            case Instant instant -> "datetime(" + instant + ")";
            case Duration duration -> "timespan(" + duration + ")";
            default -> type + "(" + value + ")";
        };
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
