package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.QueryOperator;
import io.vigil.kql.syntax.Span;
import io.vigil.plan.AggregateFunction;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.ColumnReference;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.plan.WindowFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** {@code mv-expand} and {@code mv-apply}: arrays and property bags turned into rows, and a subquery applied to the rows of each record (mv-expand-operator, mv-apply-operator). */
final class MvOperators {
    private final Binder binder;

    MvOperators(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    /** mv-expand (mv-expand-operator): several arrays expand in lockstep, see {@link PlanNode.Unnest}. */
    PlanNode mvExpand(PlanNode input, QueryOperator.MvExpandOperator expand) {
        return expandArrays(input, expand.parameters(), expand.items(), expand.limit(), "mv-expand");
    }

    PlanNode expandArrays(
            PlanNode input,
            List<Clause.OperatorParameter> parameters,
            List<Clause.MvExpandItem> items,
            Optional<Expression> limitSyntax,
            String operatorName) {
        Optional<String> itemIndex = Optional.empty();
        PlanNode.Unnest.BagExpansion bagExpansion = PlanNode.Unnest.BagExpansion.BAG;
        for (Clause.OperatorParameter parameter : parameters) {
            String name = parameter.name().toLowerCase(Locale.ROOT);
            String value = binder.sourceText(parameter.value().span()).toLowerCase(Locale.ROOT);
            if (name.equals("with_itemindex") && parameter.value() instanceof Expression.NameReference index) {
                itemIndex = Optional.of(index.name());
            } else if ((name.equals("kind") || name.equals("bagexpansion")) && value.equals("array")) {
                bagExpansion = PlanNode.Unnest.BagExpansion.ARRAY;
            } else if (!(name.equals("kind") || name.equals("bagexpansion")) || !value.equals("bag")) {
                throw binder.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE, parameter.span(), operatorName + " " + parameter.name());
            }
        }
        OptionalLong limit = OptionalLong.empty();
        if (limitSyntax.isPresent()) {
            limit = OptionalLong.of(binder.ordering.constantCount(limitSyntax.get()));
        }
        PlanNode extended = input;
        List<Integer> expanded = new ArrayList<>();
        for (Clause.MvExpandItem item : items) {
            int column;
            if (item.expression() instanceof Expression.NameReference name
                    && ProjectOperators.visibleIndex(extended.columns(), name.name()) >= 0
                    && extended.columns()
                                    .get(ProjectOperators.visibleIndex(extended.columns(), name.name()))
                                    .type()
                            == ColumnType.DYNAMIC) {
                column = ProjectOperators.visibleIndex(extended.columns(), name.name());
            } else {
                PlanNode before = extended;
                extended = binder.projects.extend(before, List.of(item.expression()));
                ProjectOperators.NamedValue named =
                        binder.projects.named(item.expression(), new RowScope(before.columns()), new HashSet<>(), 0);
                column = ProjectOperators.visibleIndex(extended.columns(), named.name());
                if (extended.columns().get(column).type() != ColumnType.DYNAMIC) {
                    extended = retype(extended, column, ColumnType.DYNAMIC);
                }
            }
            if (expanded.contains(column)) {
                throw binder.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE, item.span(), operatorName + " of one column twice");
            }
            expanded.add(column);
        }
        if (itemIndex.isPresent() && ProjectOperators.visibleIndex(extended.columns(), itemIndex.get()) >= 0) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    parameters.get(0).span(),
                    "with_itemindex names an existing column '" + itemIndex.get() + "'");
        }
        PlanNode result = new PlanNode.Unnest(extended, expanded, limit, itemIndex, bagExpansion);
        for (int position = 0; position < items.size(); position++) {
            if (items.get(position).toType().isPresent()) {
                result = retype(
                        result,
                        expanded.get(position),
                        binder.conversions.typeName(items.get(position).toType().get()));
            }
        }
        return result;
    }

    /** The same columns with one converted to {@code target}. */
    PlanNode retype(PlanNode input, int column, ColumnType target) {
        List<ProjectOperators.Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            PlanColumn current = input.columns().get(index);
            ScalarExpression value = Binder.reference(input, index);
            if (index == column) {
                value = binder.conversions.convert(value, target);
                current = new PlanColumn(current.name(), target, current.hidden());
            }
            outputs.add(new ProjectOperators.Output(current, value));
        }
        return binder.projects.projection(input, outputs);
    }

    /**
     * mv-apply (mv-apply-operator): each input row is expanded into a sub-table, the subquery runs on each
     * sub-table alone, and the output is the union of the results, to which the source columns that were not
     * expanded are added. A subquery of only {@code where} / {@code extend} works row by row, so it is applied
     * once to all expansions. Otherwise each input row gets an identity (a hidden row number) and the
     * subquery's operators are bound per identity: {@code summarize} groups by it as well, {@code order by},
     * {@code top} and {@code take} order or number the rows within it; the source columns that were
     * not expanded ride along as hidden copies (one value per identity), and are added where the subquery
     * dropped them.
     */
    PlanNode mvApply(PlanNode input, QueryOperator.MvApplyOperator apply) {
        if (rowWise(apply.subquery())) {
            PlanNode expanded = expandArrays(input, apply.parameters(), apply.items(), apply.limit(), "mv-apply");
            return applyRowWise(expanded, apply.subquery());
        }
        // the source columns that are not expanded: carried through the subquery as hidden copies
        Set<String> expandedNames = new HashSet<>();
        for (Clause.MvExpandItem item : apply.items()) {
            switch (item.expression()) {
                case Expression.NameReference name -> expandedNames.add(name.name());
                case Expression.NamedExpression named ->
                    expandedNames.add(named.names().get(0));
                default -> {}
            }
        }
        List<Integer> others = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            PlanColumn column = input.columns().get(index);
            if (!column.hidden() && !expandedNames.contains(column.name())) {
                others.add(index);
            }
        }
        List<PlanColumn> numbered = new ArrayList<>(input.columns());
        numbered.add(new PlanColumn(MV_APPLY_ROW, ColumnType.LONG, true));
        PlanNode withRow = new PlanNode.Window(
                input,
                List.of(new PlanNode.WindowCall(
                        WindowFunction.ROW_NUMBER, List.of(Constant.ofLong(1L)), ColumnType.LONG)),
                numbered);
        List<ProjectOperators.Output> carried = new ArrayList<>();
        for (int index = 0; index < withRow.columns().size(); index++) {
            carried.add(new ProjectOperators.Output(withRow.columns().get(index), Binder.reference(withRow, index)));
        }
        for (int index : others) {
            PlanColumn column = input.columns().get(index);
            carried.add(new ProjectOperators.Output(
                    new PlanColumn(MV_APPLY_SOURCE + column.name(), column.type(), true),
                    Binder.reference(withRow, index)));
        }
        PlanNode expanded = expandArrays(
                binder.projects.projection(withRow, carried),
                apply.parameters(),
                apply.items(),
                apply.limit(),
                "mv-apply");
        PlanNode result = applyPerRow(expanded, apply.subquery());
        List<ProjectOperators.Output> outputs = new ArrayList<>();
        boolean missing = false;
        for (int index : others) {
            missing |= ProjectOperators.visibleIndex(
                            result.columns(), input.columns().get(index).name())
                    < 0;
        }
        Set<String> otherNames = new HashSet<>();
        if (missing) {
            for (int index : others) {
                PlanColumn column = input.columns().get(index);
                otherNames.add(column.name());
                int kept = ProjectOperators.visibleIndex(result.columns(), column.name());
                if (kept < 0) {
                    kept = carriedIndex(result, MV_APPLY_SOURCE + column.name(), apply.span());
                    outputs.add(new ProjectOperators.Output(column, Binder.reference(result, kept)));
                } else {
                    outputs.add(
                            new ProjectOperators.Output(result.columns().get(kept), Binder.reference(result, kept)));
                }
            }
        }
        for (int index = 0; index < result.columns().size(); index++) {
            PlanColumn column = result.columns().get(index);
            if (!otherNames.contains(column.name()) && !isMvApplyColumn(column)) {
                outputs.add(new ProjectOperators.Output(column, Binder.reference(result, index)));
            }
        }
        return binder.projects.projection(result, outputs);
    }

    static boolean isMvApplyColumn(PlanColumn column) {
        return column.hidden() && column.name().startsWith("__mv_apply_");
    }

    /** The hidden copy of a source column that was not expanded. */
    static final String MV_APPLY_SOURCE = "__mv_apply_source_";

    int carriedIndex(PlanNode node, String name, Span span) {
        for (int index = node.columns().size() - 1; index >= 0; index--) {
            PlanColumn column = node.columns().get(index);
            if (column.hidden() && column.name().equals(name)) {
                return index;
            }
        }
        throw binder.error(DiagnosticCode.UNSUPPORTED_FEATURE, span, "mv-apply subquery that drops the row identity");
    }

    /** The hidden row identity of a per-row mv-apply. */
    static final String MV_APPLY_ROW = "__mv_apply_row";

    static final String MV_APPLY_PREVIOUS = "__mv_apply_previous";

    static final String MV_APPLY_RANK = "__mv_apply_rank";

    int rowIndex(PlanNode node, Span span) {
        return carriedIndex(node, MV_APPLY_ROW, span);
    }

    static boolean rowWise(Expression subquery) {
        return switch (subquery) {
            case Expression.Parenthesized parenthesized -> rowWise(parenthesized.expression());
            case Expression.Pipe pipe -> rowWise(pipe.source()) && rowWise(pipe.operator());
            case Expression.OperatorExpression operator -> rowWise(operator.operator());
            default -> true;
        };
    }

    static boolean rowWise(QueryOperator operator) {
        return operator instanceof QueryOperator.WhereOperator || operator instanceof QueryOperator.ExtendOperator;
    }

    PlanNode applyRowWise(PlanNode input, Expression subquery) {
        return switch (subquery) {
            case Expression.Parenthesized parenthesized -> applyRowWise(input, parenthesized.expression());
            case Expression.Pipe pipe -> rowWiseOperator(applyRowWise(input, pipe.source()), pipe.operator());
            case Expression.OperatorExpression operator -> rowWiseOperator(input, operator.operator());
            default -> throw binder.error(DiagnosticCode.EXPECTED_TABULAR, subquery.span());
        };
    }

    PlanNode rowWiseOperator(PlanNode input, QueryOperator operator) {
        return switch (operator) {
            case QueryOperator.WhereOperator where -> binder.operator(input, where);
            case QueryOperator.ExtendOperator extend -> binder.operator(input, extend);
            // expands each row on its own, so each sub-table stays apart
            case QueryOperator.MvExpandOperator expand -> binder.operator(input, expand);
            default -> throw unsupportedInMvApply(operator);
        };
    }

    PlanNode applyPerRow(PlanNode input, Expression subquery) {
        return switch (subquery) {
            case Expression.Parenthesized parenthesized -> applyPerRow(input, parenthesized.expression());
            case Expression.Pipe pipe -> perRowOperator(applyPerRow(input, pipe.source()), pipe.operator());
            case Expression.OperatorExpression operator -> perRowOperator(input, operator.operator());
            default -> throw binder.error(DiagnosticCode.EXPECTED_TABULAR, subquery.span());
        };
    }

    /** One subquery operator over the sub-tables of all rows, told apart by the hidden row identity. */
    PlanNode perRowOperator(PlanNode input, QueryOperator operator) {
        int row = rowIndex(input, operator.span());
        return switch (operator) {
            case QueryOperator.WhereOperator where -> binder.operator(input, where);
            case QueryOperator.ExtendOperator extend -> binder.operator(input, extend);
            case QueryOperator.MvExpandOperator expand -> binder.operator(input, expand);
            case QueryOperator.ProjectOperator project -> {
                PlanNode bound = binder.operator(input, project);
                if (!(bound instanceof PlanNode.Project projected)) {
                    throw unsupportedInMvApply(operator);
                }
                PlanNode inner = projected.input();
                List<ScalarExpression> expressions = new ArrayList<>(projected.expressions());
                List<PlanColumn> columns = new ArrayList<>(projected.columns());
                for (int index = 0; index < inner.columns().size(); index++) {
                    if (isMvApplyColumn(inner.columns().get(index))) {
                        expressions.add(Binder.reference(inner, index));
                        columns.add(inner.columns().get(index));
                    }
                }
                yield new PlanNode.Project(inner, expressions, columns);
            }
            case QueryOperator.SummarizeOperator summarize ->
                groupedByRow(binder.operator(input, summarize), input, row, operator);
            case QueryOperator.SortOperator sort ->
                new PlanNode.Sort(input, byRow(input, row, sort.by()), OptionalLong.empty());
            case QueryOperator.TopOperator top ->
                firstPerRow(
                        new PlanNode.Sort(input, byRow(input, row, top.by()), OptionalLong.empty()),
                        row,
                        binder.ordering.constantCount(top.count()));
            case QueryOperator.TakeOperator take ->
                firstPerRow(input, row, binder.ordering.constantCount(take.count()));
            default -> throw unsupportedInMvApply(operator);
        };
    }

    BindError unsupportedInMvApply(QueryOperator operator) {
        return binder.error(
                DiagnosticCode.UNSUPPORTED_FEATURE,
                operator.span(),
                "mv-apply subquery with " + Binder.operatorName(operator)
                        + " (only where, extend, project, summarize, top, take, order by)");
    }

    /** Sort keys with the row identity first, so each row's sub-table stays together. */
    List<PlanNode.SortKey> byRow(PlanNode input, int row, List<Clause.OrderedExpression> keys) {
        List<PlanNode.SortKey> sortKeys = new ArrayList<>();
        sortKeys.add(new PlanNode.SortKey(Binder.reference(input, row), true, false));
        sortKeys.addAll(binder.ordering.sortKeys(input, keys));
        return sortKeys;
    }

    /** The first {@code count} rows of each row's sub-table, in the input's order. */
    PlanNode firstPerRow(PlanNode input, int row, long count) {
        int width = input.columns().size();
        List<PlanColumn> withPrevious = new ArrayList<>(input.columns());
        withPrevious.add(new PlanColumn(MV_APPLY_PREVIOUS, ColumnType.LONG, true));
        PlanNode previous = new PlanNode.Window(
                input,
                List.of(new PlanNode.WindowCall(
                        WindowFunction.PREVIOUS,
                        List.of(Binder.reference(input, row), Constant.ofLong(1L), Constant.ofLong(0L)),
                        ColumnType.LONG)),
                withPrevious);
        List<PlanColumn> withRank = new ArrayList<>(withPrevious);
        withRank.add(new PlanColumn(MV_APPLY_RANK, ColumnType.LONG, true));
        ScalarExpression restart = ScalarBinder.call(
                ScalarFunction.NOT_EQUAL,
                ColumnType.BOOL,
                Binder.reference(previous, row),
                Binder.reference(previous, width));
        PlanNode ranked = new PlanNode.Window(
                previous,
                List.of(new PlanNode.WindowCall(
                        WindowFunction.ROW_NUMBER, List.of(Constant.ofLong(1L), restart), ColumnType.LONG)),
                withRank);
        PlanNode first = new PlanNode.Filter(
                ranked,
                ScalarBinder.call(
                        ScalarFunction.LESS_EQUAL,
                        ColumnType.BOOL,
                        Binder.reference(ranked, width + 1),
                        Constant.ofLong(count)));
        List<ProjectOperators.Output> outputs = new ArrayList<>();
        for (int index = 0; index < width; index++) {
            outputs.add(new ProjectOperators.Output(input.columns().get(index), Binder.reference(first, index)));
        }
        return binder.projects.projection(first, outputs);
    }

    /** A bound summarize, grouped by the row identity as well (its first key, hidden). */
    PlanNode groupedByRow(PlanNode bound, PlanNode input, int row, QueryOperator operator) {
        switch (bound) {
            case PlanNode.Aggregate aggregate
            when aggregate.input() == input -> {
                List<ScalarExpression> keys = new ArrayList<>();
                keys.add(Binder.reference(input, row));
                keys.addAll(aggregate.groupKeys());
                List<PlanColumn> columns = new ArrayList<>();
                columns.add(input.columns().get(row));
                columns.addAll(aggregate.columns());
                List<PlanNode.AggregateCall> aggregates = new ArrayList<>(aggregate.aggregates());
                // the carried source columns are the same on all rows of one identity
                for (int index = 0; index < input.columns().size(); index++) {
                    PlanColumn column = input.columns().get(index);
                    if (isMvApplyColumn(column) && index != row) {
                        aggregates.add(new PlanNode.AggregateCall(
                                AggregateFunction.ANY, List.of(Binder.reference(input, index)), column.type()));
                        columns.add(column);
                    }
                }
                return new PlanNode.Aggregate(input, keys, aggregates, columns);
            }
            case PlanNode.Project project -> {
                PlanNode inner = groupedByRow(project.input(), input, row, operator);
                List<ScalarExpression> expressions = new ArrayList<>();
                List<PlanColumn> columns = new ArrayList<>();
                for (ScalarExpression expression : project.expressions()) {
                    expressions.add(shifted(expression, operator));
                }
                columns.addAll(project.columns());
                for (int index = 0; index < inner.columns().size(); index++) {
                    if (isMvApplyColumn(inner.columns().get(index))) {
                        expressions.add(Binder.reference(inner, index));
                        columns.add(inner.columns().get(index));
                    }
                }
                return new PlanNode.Project(inner, expressions, columns);
            }
            default -> throw unsupportedInMvApply(operator);
        }
    }

    /** The expression over a node that got one more column in front. */
    ScalarExpression shifted(ScalarExpression expression, QueryOperator operator) {
        return switch (expression) {
            case ColumnReference reference ->
                new ColumnReference(reference.index() + 1, reference.name(), reference.type());
            case Constant constant -> constant;
            case Call call -> {
                List<ScalarExpression> arguments = new ArrayList<>();
                for (ScalarExpression argument : call.arguments()) {
                    arguments.add(shifted(argument, operator));
                }
                yield new Call(call.function(), arguments, call.type());
            }
            default -> throw unsupportedInMvApply(operator);
        };
    }
}
