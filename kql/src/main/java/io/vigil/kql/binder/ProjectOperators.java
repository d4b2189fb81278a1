package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.catalog.LanguageRegistry;
import io.vigil.kql.catalog.ResultNaming;
import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.LiteralKind;
import io.vigil.kql.syntax.SortDirection;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The project family ({@code project}, {@code project-away}, {@code -keep}, {@code -rename}, {@code -reorder}), {@code extend} and {@code distinct}, and KQL's result column naming. */
final class ProjectOperators {
    private final Binder binder;

    ProjectOperators(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    /** A column of an operator's output and the expression that computes it. */
    record Output(PlanColumn column, ScalarExpression expression) {}

    PlanNode projection(PlanNode input, List<Output> outputs) {
        List<ScalarExpression> expressions = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        for (Output output : outputs) {
            expressions.add(output.expression());
            columns.add(output.column());
        }
        return new PlanNode.Project(input, expressions, columns);
    }

    /** Matches a name or wildcard pattern (only {@code *} is special) against visible columns. */
    List<Integer> matching(PlanNode input, Expression item) {
        List<Integer> indexes = new ArrayList<>();
        switch (item) {
            case Expression.NameReference name -> {
                int index = visibleIndex(input.columns(), name.name());
                if (index < 0) {
                    throw binder.error(DiagnosticCode.UNKNOWN_COLUMN, name.span(), name.name());
                }
                indexes.add(index);
            }
            case Expression.WildcardName wildcard -> {
                Pattern pattern = wildcardPattern(wildcard.pattern());
                for (int index = 0; index < input.columns().size(); index++) {
                    PlanColumn column = input.columns().get(index);
                    if (!column.hidden() && pattern.matcher(column.name()).matches()) {
                        indexes.add(index);
                    }
                }
            }
            case Expression.Star star -> {
                for (int index = 0; index < input.columns().size(); index++) {
                    if (!input.columns().get(index).hidden()) {
                        indexes.add(index);
                    }
                }
            }
            default -> throw binder.error(DiagnosticCode.UNKNOWN_COLUMN, item.span(), binder.sourceText(item.span()));
        }
        return indexes;
    }

    static Pattern wildcardPattern(String wildcard) {
        List<String> parts = new ArrayList<>();
        for (String part : wildcard.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts));
    }

    static int visibleIndex(List<PlanColumn> columns, String name) {
        for (int index = 0; index < columns.size(); index++) {
            if (!columns.get(index).hidden() && columns.get(index).name().equals(name)) {
                return index;
            }
        }
        return -1;
    }

    PlanNode project(PlanNode input, List<Expression> items) {
        RowScope scope = new RowScope(input.columns());
        List<Output> outputs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Expression item : items) {
            if (item instanceof Expression.NameReference
                    || item instanceof Expression.WildcardName
                    || item instanceof Expression.Star) {
                if (item instanceof Expression.NameReference name && visibleIndex(input.columns(), name.name()) < 0) {
                    // a let scalar projected by name gets its name
                    ScalarExpression value = binder.scalars.scalar(item, scope);
                    addOutput(outputs, names, name.name(), value);
                    continue;
                }
                for (int index : matching(input, item)) {
                    addOutput(outputs, names, input.columns().get(index).name(), Binder.reference(input, index));
                }
                continue;
            }
            NamedValue named = named(item, scope, names, outputs.size());
            addOutput(outputs, names, named.name(), named.value());
        }
        return projection(input, outputs);
    }

    void addOutput(List<Output> outputs, Set<String> names, String name, ScalarExpression value) {
        String unique = name;
        int suffix = 1;
        while (names.contains(unique)) {
            unique = name + suffix++;
        }
        names.add(unique);
        outputs.add(new Output(new PlanColumn(unique, value.type()), value));
    }

    record NamedValue(String name, ScalarExpression value) {}

    /** An expression with its result name: declared ({@code a = x}) or derived as KQL does. */
    NamedValue named(Expression item, RowScope scope, Set<String> taken, int position) {
        if (item instanceof Expression.NamedExpression named) {
            if (named.names().size() != 1) {
                throw binder.error(DiagnosticCode.UNSUPPORTED_FEATURE, item.span(), "tuple names");
            }
            return new NamedValue(named.names().get(0), binder.scalars.scalar(named.value(), scope));
        }
        ScalarExpression value = binder.scalars.scalar(item, scope);
        return new NamedValue(resultName(item).orElseGet(() -> columnName(taken)), value);
    }

    /** {@code Column1}, {@code Column2}...: the first not taken. */
    static String columnName(Set<String> taken) {
        int number = 1;
        while (taken.contains("Column" + number)) {
            number++;
        }
        return "Column" + number;
    }

    /**
     * The name KQL gives an unnamed expression: a column keeps its name, {@code a.b} and {@code a['b']}
     * become {@code a_b}, {@code bin(x, ...)} is named after x (Kusto-Query-Language Binder
     * GetExpressionResultName; aggregates: prefix and first argument, e.g. {@code sum_Bytes}).
     */
    Optional<String> resultName(Expression expression) {
        return switch (expression) {
            case Expression.NameReference name -> Optional.of(name.name());
            case Expression.Parenthesized parenthesized -> resultName(parenthesized.expression());
            case Expression.NamedExpression named -> Optional.of(named.names().get(0));
            case Expression.MemberAccess member ->
                Optional.of(resultName(member.target())
                        .map(left -> left + "_" + member.member())
                        .orElse(member.member()));
            case Expression.ElementAccess element -> {
                if (element.index() instanceof Expression.Literal literal
                        && (literal.kind() == LiteralKind.STRING || literal.kind() == LiteralKind.LONG)) {
                    yield Optional.of(resultName(element.target())
                            .map(left -> left + "_" + literal.value())
                            .orElse(literal.value()));
                }
                yield Optional.empty();
            }
            case Expression.FunctionCall call -> functionResultName(call);
            default -> Optional.empty();
        };
    }

    Optional<String> functionResultName(Expression.FunctionCall call) {
        String first = "";
        if (!call.arguments().isEmpty()) {
            first = resultName(call.arguments().get(0)).orElse("");
        }
        return switch (LanguageRegistry.standard().naming(call.name())) {
            case ResultNaming.Positional positional -> Optional.empty();
            // a conversion keeps its argument's name ("by tostring(tld)" groups into a column tld), as take_any does
            case ResultNaming.ArgumentName argument -> {
                if (first.isEmpty()) {
                    yield Optional.empty();
                }
                yield Optional.of(first);
            }
            case ResultNaming.Prefixed prefixed -> Optional.of(prefixed.prefix() + "_" + first);
        };
    }

    PlanNode projectAway(PlanNode input, List<Expression> items) {
        Set<Integer> removed = new HashSet<>();
        for (Expression item : items) {
            removed.addAll(matching(input, item));
        }
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            if (!removed.contains(index)) {
                outputs.add(new Output(input.columns().get(index), Binder.reference(input, index)));
            }
        }
        return projection(input, outputs);
    }

    PlanNode projectKeep(PlanNode input, List<Expression> items) {
        Set<Integer> kept = new HashSet<>();
        for (Expression item : items) {
            kept.addAll(matching(input, item));
        }
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            if (kept.contains(index) || input.columns().get(index).hidden()) {
                outputs.add(new Output(input.columns().get(index), Binder.reference(input, index)));
            }
        }
        return projection(input, outputs);
    }

    PlanNode projectRename(PlanNode input, List<Expression> items) {
        Map<Integer, String> renames = new HashMap<>();
        for (Expression item : items) {
            if (!(item instanceof Expression.NamedExpression named
                    && named.names().size() == 1
                    && named.value() instanceof Expression.NameReference old)) {
                throw binder.error(DiagnosticCode.UNSUPPORTED_FEATURE, item.span(), "project-rename takes new = old");
            }
            int index = visibleIndex(input.columns(), old.name());
            if (index < 0) {
                throw binder.error(DiagnosticCode.UNKNOWN_COLUMN, old.span(), old.name());
            }
            renames.put(index, named.names().get(0));
        }
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            PlanColumn column = input.columns().get(index);
            String name = renames.getOrDefault(index, column.name());
            outputs.add(
                    new Output(new PlanColumn(name, column.type(), column.hidden()), Binder.reference(input, index)));
        }
        return projection(input, outputs);
    }

    PlanNode projectReorder(PlanNode input, List<Clause.OrderedExpression> items) {
        List<Integer> order = new ArrayList<>();
        for (Clause.OrderedExpression item : items) {
            List<Integer> matched = new ArrayList<>();
            for (int index : matching(input, item.expression())) {
                if (!order.contains(index)) {
                    matched.add(index);
                }
            }
            // asc / desc order the columns a pattern matches by name; without them they keep the input's order
            // (project-reorder-operator: "a* asc" gives a1, a2, a3)
            if (item.direction().isPresent()) {
                Comparator<Integer> byName =
                        Comparator.comparing(index -> input.columns().get(index).name());
                if (item.direction().get() == SortDirection.DESCENDING) {
                    byName = byName.reversed();
                }
                matched.sort(byName);
            }
            order.addAll(matched);
        }
        for (int index = 0; index < input.columns().size(); index++) {
            if (!order.contains(index)) {
                order.add(index);
            }
        }
        List<Output> outputs = new ArrayList<>();
        for (int index : order) {
            outputs.add(new Output(input.columns().get(index), Binder.reference(input, index)));
        }
        return projection(input, outputs);
    }

    /** New columns are appended; a name that exists replaces that column in place (extend-operator). */
    PlanNode extend(PlanNode input, List<Expression> items) {
        RowScope scope = new RowScope(input.columns());
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            outputs.add(new Output(input.columns().get(index), Binder.reference(input, index)));
        }
        Set<String> taken = new HashSet<>();
        for (PlanColumn column : input.columns()) {
            taken.add(column.name());
        }
        for (Expression item : items) {
            List<NamedValue> values = binder.series.seriesColumns(item, scope).orElse(null);
            if (values == null) {
                values = List.of(named(item, scope, taken, outputs.size()));
            }
            for (NamedValue named : values) {
                Output output =
                        new Output(new PlanColumn(named.name(), named.value().type()), named.value());
                int existing = visibleIndex(outputs.stream().map(Output::column).toList(), named.name());
                if (existing >= 0) {
                    outputs.set(existing, output);
                } else {
                    outputs.add(output);
                    taken.add(named.name());
                }
            }
        }
        return projection(input, outputs);
    }

    PlanNode distinct(PlanNode input, List<Expression> items) {
        List<ScalarExpression> keys = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Expression item : items) {
            if (item instanceof Expression.Star || item instanceof Expression.NameReference) {
                for (int index : matching(input, item)) {
                    keys.add(Binder.reference(input, index));
                    columns.add(new PlanColumn(
                            Aggregations.unique(input.columns().get(index).name(), taken),
                            input.columns().get(index).type()));
                }
                continue;
            }
            NamedValue named = named(item, new RowScope(input.columns()), taken, columns.size());
            keys.add(named.value());
            columns.add(new PlanColumn(
                    Aggregations.unique(named.name(), taken), named.value().type()));
        }
        return new PlanNode.Aggregate(input, keys, List.of(), columns);
    }
}
