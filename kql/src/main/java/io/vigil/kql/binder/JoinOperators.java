package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.BinaryOperator;
import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.LiteralKind;
import io.vigil.kql.syntax.QueryOperator;
import io.vigil.kql.syntax.Span;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.ColumnReference;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Operators that combine tables: {@code union}, {@code join}, {@code lookup}, and {@code search} over one or many tables (union-operator, join-operator, lookup-operator, search-operator). */
final class JoinOperators {
    private final Binder binder;

    JoinOperators(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    /**
     * union: columns by name in order of first appearance; a name with different types in different
     * inputs becomes one column per type, {@code name_type} (union-operator).
     */
    PlanNode union(Optional<PlanNode> left, Optional<String> leftName, QueryOperator.UnionOperator union) {
        List<PlanNode> inputs = new ArrayList<>();
        List<String> sourceNames = new ArrayList<>();
        left.ifPresent(plan -> {
            inputs.add(plan);
            sourceNames.add(leftName.orElse("union_arg0"));
        });
        Optional<String> withSource = Optional.empty();
        boolean fuzzy = false;
        boolean inner = false;
        List<Diagnostic> dropped = new ArrayList<>();
        for (Clause.OperatorParameter parameter : union.parameters()) {
            switch (parameter.name().toLowerCase(Locale.ROOT)) {
                case "withsource" -> {
                    if (parameter.value() instanceof Expression.NameReference name) {
                        withSource = Optional.of(name.name());
                    }
                }
                case "isfuzzy" ->
                    fuzzy = binder.sourceText(parameter.value().span()).equalsIgnoreCase("true");
                case "kind" ->
                    inner = binder.sourceText(parameter.value().span()).equalsIgnoreCase("inner");
                default -> {
                    // hints do not change results
                }
            }
        }
        for (Expression table : union.tables()) {
            if (table instanceof Expression.WildcardName wildcard) {
                Pattern pattern = ProjectOperators.wildcardPattern(wildcard.pattern());
                for (String name : binder.catalog.tableNames()) {
                    if (pattern.matcher(name).matches()) {
                        inputs.add(binder.table(name, table.span()));
                        sourceNames.add(name);
                    }
                }
                continue;
            }
            if (fuzzy
                    && table instanceof Expression.NameReference name
                    && !binder.lets.containsKey(name.name())
                    && binder.catalog.table(name.name()).isEmpty()) {
                continue;
            }
            if (fuzzy) {
                Optional<PlanNode> leg = fuzzyLeg(table, dropped);
                if (leg.isEmpty()) {
                    continue;
                }
                inputs.add(leg.get());
            } else {
                inputs.add(binder.tabular(table));
            }
            Optional<String> named = Binder.asName(table);
            if (named.isPresent()) {
                sourceNames.add(named.get());
            } else if (table instanceof Expression.NameReference name) {
                sourceNames.add(name.name());
            } else {
                sourceNames.add("union_arg" + sourceNames.size());
            }
        }
        if (inputs.isEmpty()) {
            if (!dropped.isEmpty()) {
                // no leg resolves: the query fails with the legs' own errors (union-operator, isfuzzy)
                binder.diagnostics.addAll(dropped);
                throw new BindError();
            }
            throw binder.error(DiagnosticCode.UNKNOWN_TABLE, union.span(), binder.sourceText(union.span()));
        }
        if (inner) {
            throw binder.error(DiagnosticCode.UNSUPPORTED_FEATURE, union.span(), "union kind=inner");
        }
        Map<String, Set<ColumnType>> typesByName = new LinkedHashMap<>();
        for (PlanNode input : inputs) {
            for (PlanColumn column : input.columns()) {
                if (!column.hidden()) {
                    typesByName
                            .computeIfAbsent(column.name(), ignored -> new java.util.LinkedHashSet<>())
                            .add(column.type());
                }
            }
        }
        List<PlanColumn> columns = new ArrayList<>();
        withSource.ifPresent(name -> columns.add(new PlanColumn(name, ColumnType.STRING)));
        Map<String, String> outputName = new HashMap<>();
        typesByName.forEach((name, types) -> {
            for (ColumnType type : types) {
                String output = name;
                if (types.size() > 1) {
                    output = name + "_" + type.kqlName();
                }
                outputName.put(name + "\u0000" + type.kqlName(), output);
                columns.add(new PlanColumn(output, type));
            }
        });
        List<PlanNode> aligned = new ArrayList<>();
        for (int inputIndex = 0; inputIndex < inputs.size(); inputIndex++) {
            PlanNode input = inputs.get(inputIndex);
            Map<String, Integer> positions = new HashMap<>();
            for (int index = 0; index < input.columns().size(); index++) {
                PlanColumn column = input.columns().get(index);
                if (!column.hidden()) {
                    positions.put(
                            outputName.get(
                                    column.name() + "\u0000" + column.type().kqlName()),
                            index);
                }
            }
            List<ScalarExpression> expressions = new ArrayList<>();
            for (PlanColumn column : columns) {
                if (withSource.isPresent() && column.name().equals(withSource.get()) && expressions.isEmpty()) {
                    expressions.add(Constant.ofString(sourceNames.get(inputIndex)));
                    continue;
                }
                Integer position = positions.get(column.name());
                if (position == null) {
                    expressions.add(nullOf(column.type()));
                } else {
                    expressions.add(Binder.reference(input, position));
                }
            }
            aligned.add(new PlanNode.Project(input, expressions, columns));
        }
        if (aligned.size() == 1) {
            return aligned.get(0);
        }
        return new PlanNode.Union(aligned, columns);
    }

    /** Resolution failures a fuzzy union leaves out: a table, column or function that does not exist. */
    static final Set<DiagnosticCode> FUZZY_RESOLUTION_FAILURES = Set.of(
            DiagnosticCode.UNKNOWN_TABLE,
            DiagnosticCode.UNKNOWN_COLUMN,
            DiagnosticCode.UNKNOWN_FUNCTION,
            // union-operator: isfuzzy reduces the sources to the tables that exist and are accessible
            DiagnosticCode.TABLE_ACCESS_DENIED);

    /**
     * One leg of {@code union isfuzzy=true}: a leg that fails to resolve (an unknown table, column or
     * function) is left out with a warning instead of failing the query, as long as another leg resolves
     * (union-operator: "any resolution failure yields a warning in the query status results, but won't
     * prevent the query execution"). Other errors, such as Vigil's unsupported features, still fail it.
     */
    Optional<PlanNode> fuzzyLeg(Expression table, List<Diagnostic> dropped) {
        int mark = binder.diagnostics.size();
        try {
            return Optional.of(binder.tabular(table));
        } catch (BindError error) {
            List<Diagnostic> added = new ArrayList<>(binder.diagnostics.subList(mark, binder.diagnostics.size()));
            boolean resolution = !added.isEmpty()
                    && added.stream()
                            .filter(Diagnostic::isError)
                            .allMatch(diagnostic -> FUZZY_RESOLUTION_FAILURES.contains(diagnostic.code()));
            if (!resolution) {
                throw error;
            }
            binder.diagnostics.subList(mark, binder.diagnostics.size()).clear();
            dropped.addAll(added);
            Diagnostic first =
                    added.stream().filter(Diagnostic::isError).findFirst().orElseThrow();
            binder.diagnostics.add(Diagnostic.create(
                    binder.source,
                    DiagnosticCode.FUZZY_LEG_DROPPED,
                    table.span(),
                    first.code().code() + " " + first.message()));
            return Optional.empty();
        }
    }

    /** A typed null; strings have no null in KQL, so theirs is the empty string. */
    static Constant nullOf(ColumnType type) {
        if (type == ColumnType.STRING) {
            return Constant.ofString("");
        }
        return Constant.nullOf(type);
    }

    /**
     * join: {@code kind} defaults to innerunique, which keeps one left row per key before an inner
     * join; right columns whose names clash get a numeric suffix (join-operator).
     */
    PlanNode join(PlanNode left, QueryOperator.JoinOperator join) {
        String kind = "innerunique";
        for (Clause.OperatorParameter parameter : join.parameters()) {
            if (parameter.name().equalsIgnoreCase("kind")) {
                kind = binder.sourceText(parameter.value().span()).toLowerCase(Locale.ROOT);
            }
        }
        PlanNode right = binder.visibleOnly(binder.tabular(join.right()));
        left = binder.visibleOnly(left);
        List<int[]> pairs = new ArrayList<>();
        for (Expression condition : join.on()) {
            joinCondition(condition, left, right, pairs);
        }
        if (pairs.isEmpty()) {
            throw binder.error(DiagnosticCode.INVALID_JOIN_CONDITION, join.span(), "no 'on' columns");
        }
        boolean swap = kind.equals("rightsemi") || kind.equals("rightanti");
        PlanNode.JoinKind joinKind = switch (kind) {
            case "inner", "innerunique" -> PlanNode.JoinKind.INNER;
            case "leftouter" -> PlanNode.JoinKind.LEFT_OUTER;
            case "rightouter" -> PlanNode.JoinKind.RIGHT_OUTER;
            case "fullouter" -> PlanNode.JoinKind.FULL_OUTER;
            case "leftsemi", "rightsemi" -> PlanNode.JoinKind.LEFT_SEMI;
            case "leftanti", "anti", "leftantisemi", "rightanti", "rightantisemi" -> PlanNode.JoinKind.LEFT_ANTI;
            default -> throw binder.error(DiagnosticCode.UNSUPPORTED_FEATURE, join.span(), "join kind=" + kind);
        };
        if (kind.equals("rightantisemi")) {
            swap = true;
        }
        if (swap) {
            PlanNode temporary = left;
            left = right;
            right = temporary;
            List<int[]> swapped = new ArrayList<>();
            for (int[] pair : pairs) {
                swapped.add(new int[] {pair[1], pair[0]});
            }
            pairs = swapped;
        }
        if (kind.equals("innerunique")) {
            List<Integer> keys = new ArrayList<>();
            for (int[] pair : pairs) {
                keys.add(pair[0]);
            }
            left = new PlanNode.Deduplicate(left, keys);
        }
        ScalarExpression condition = keysEqual(left, right, pairs, join.span());
        List<PlanColumn> columns = new ArrayList<>(left.columns());
        if (joinKind != PlanNode.JoinKind.LEFT_SEMI && joinKind != PlanNode.JoinKind.LEFT_ANTI) {
            Set<String> taken = new HashSet<>();
            for (PlanColumn column : left.columns()) {
                taken.add(column.name());
            }
            for (PlanColumn column : right.columns()) {
                columns.add(new PlanColumn(Aggregations.unique(column.name(), taken), column.type()));
            }
        }
        return new PlanNode.Join(joinKind, left, right, condition, columns);
    }

    /**
     * The condition of an equi-join: each (left column, right column) pair equal, after converting both
     * to a common type; the right columns are referred to after the left ones, as in a join's input.
     */
    ScalarExpression keysEqual(PlanNode left, PlanNode right, List<int[]> pairs, Span span) {
        int leftCount = left.columns().size();
        List<ScalarExpression> conditions = new ArrayList<>();
        for (int[] pair : pairs) {
            ScalarExpression leftKey = Binder.reference(left, pair[0]);
            PlanColumn rightColumn = right.columns().get(pair[1]);
            ScalarExpression rightKey =
                    new ColumnReference(leftCount + pair[1], rightColumn.name(), rightColumn.type());
            if (leftKey.type() != rightKey.type()) {
                ColumnType common = Conversions.comparisonType(leftKey.type(), rightKey.type());
                if (common == null) {
                    throw binder.error(
                            DiagnosticCode.TYPE_MISMATCH,
                            span,
                            "Cannot compare " + leftKey.type().kqlName() + " with "
                                    + rightKey.type().kqlName());
                }
                leftKey = binder.conversions.convert(leftKey, common);
                rightKey = binder.conversions.convert(rightKey, common);
            }
            conditions.add(ScalarBinder.call(ScalarFunction.KEY_EQUAL, ColumnType.BOOL, leftKey, rightKey));
        }
        if (conditions.size() == 1) {
            return conditions.get(0);
        }
        return new Call(ScalarFunction.AND, conditions, ColumnType.BOOL);
    }

    /**
     * {@code lookup [kind=leftouter|inner] (Dimension) on ...}: like a join of every matching pair, but
     * the right side's key columns are not repeated and leftouter is the default (lookup-operator).
     * Right columns whose names the left already has get a numeric suffix, as join names them.
     */
    PlanNode lookup(PlanNode left, QueryOperator.LookupOperator lookup) {
        PlanNode.JoinKind joinKind = PlanNode.JoinKind.LEFT_OUTER;
        for (Clause.OperatorParameter parameter : lookup.parameters()) {
            if (!parameter.name().equalsIgnoreCase("kind")) {
                continue;
            }
            String kind = binder.sourceText(parameter.value().span()).toLowerCase(Locale.ROOT);
            joinKind = switch (kind) {
                case "leftouter" -> PlanNode.JoinKind.LEFT_OUTER;
                case "inner" -> PlanNode.JoinKind.INNER;
                default ->
                    throw binder.error(
                            DiagnosticCode.INVALID_VALUE, parameter.value().span(), "lookup kind", kind);
            };
        }
        PlanNode right = binder.visibleOnly(binder.tabular(lookup.right()));
        left = binder.visibleOnly(left);
        List<int[]> pairs = new ArrayList<>();
        for (Expression condition : lookup.on()) {
            joinCondition(condition, left, right, pairs);
        }
        if (pairs.isEmpty()) {
            throw binder.error(DiagnosticCode.INVALID_JOIN_CONDITION, lookup.span(), "no 'on' columns");
        }
        int leftCount = left.columns().size();
        Set<Integer> rightKeys = new HashSet<>();
        for (int[] pair : pairs) {
            rightKeys.add(pair[1]);
        }
        ScalarExpression condition = keysEqual(left, right, pairs, lookup.span());
        List<PlanColumn> joined = new ArrayList<>(left.columns());
        joined.addAll(right.columns());
        PlanNode join = new PlanNode.Join(joinKind, left, right, condition, joined);
        List<ProjectOperators.Output> outputs = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int index = 0; index < leftCount; index++) {
            outputs.add(new ProjectOperators.Output(left.columns().get(index), Binder.reference(left, index)));
            taken.add(left.columns().get(index).name());
        }
        for (int index = 0; index < right.columns().size(); index++) {
            if (rightKeys.contains(index)) {
                continue;
            }
            PlanColumn column = right.columns().get(index);
            outputs.add(new ProjectOperators.Output(
                    new PlanColumn(Aggregations.unique(column.name(), taken), column.type()),
                    new ColumnReference(leftCount + index, column.name(), column.type())));
        }
        return binder.projects.projection(join, outputs);
    }

    /**
     * {@code search [kind=case_sensitive] [in (T1, T2)] predicate} and {@code T | search predicate}: a
     * string term matches rows where any column has it as a term, like {@code has} (search-operator);
     * {@code and}, {@code or} and parentheses combine terms; other predicates are ordinary conditions.
     * Without a piped input the tables (all of them when none is named) are unioned with their name in
     * {@code $table}.
     */
    PlanNode search(Optional<PlanNode> input, QueryOperator.SearchOperator search) {
        boolean caseSensitive = false;
        for (Clause.OperatorParameter parameter : search.parameters()) {
            if (parameter.name().equalsIgnoreCase("kind")) {
                String kind = binder.sourceText(parameter.value().span()).toLowerCase(Locale.ROOT);
                caseSensitive = switch (kind) {
                    case "case_sensitive" -> true;
                    case "case_insensitive", "default" -> false;
                    default ->
                        throw binder.error(
                                DiagnosticCode.INVALID_VALUE, parameter.value().span(), "search kind", kind);
                };
            }
        }
        PlanNode rows;
        if (input.isPresent()) {
            if (!search.tables().isEmpty()) {
                throw binder.error(DiagnosticCode.UNSUPPORTED_FEATURE, search.span(), "search in (...) after '|'");
            }
            rows = input.get();
        } else {
            List<Expression> tables = search.tables();
            if (tables.isEmpty()) {
                tables = List.of(new Expression.WildcardName(search.span(), "*"));
            }
            Clause.OperatorParameter withSource = new Clause.OperatorParameter(
                    search.span(), "withsource", new Expression.NameReference(search.span(), "$table"));
            rows = union(
                    Optional.empty(),
                    Optional.empty(),
                    new QueryOperator.UnionOperator(search.span(), List.of(withSource), tables));
            if (rows instanceof PlanNode.Union legs) {
                // one filter per leg, looking only in that table's own columns: one filter over the whole
                // union's columns makes DuckDB test every leg for every column of every table (minutes on
                // an empty workspace, growing with tables times columns)
                List<PlanNode> filtered = new ArrayList<>();
                for (PlanNode leg : legs.inputs()) {
                    filtered.add(new PlanNode.Filter(leg, searchPredicate(search.predicate(), leg, caseSensitive)));
                }
                return new PlanNode.Union(filtered, legs.columns());
            }
        }
        return new PlanNode.Filter(rows, searchPredicate(search.predicate(), rows, caseSensitive));
    }

    ScalarExpression searchPredicate(Expression predicate, PlanNode rows, boolean caseSensitive) {
        if (predicate instanceof Expression.Parenthesized parenthesized) {
            return searchPredicate(parenthesized.expression(), rows, caseSensitive);
        }
        if (predicate instanceof Expression.Binary binary
                && (binary.operator() == BinaryOperator.AND || binary.operator() == BinaryOperator.OR)) {
            ScalarFunction function = ScalarFunction.AND;
            if (binary.operator() == BinaryOperator.OR) {
                function = ScalarFunction.OR;
            }
            return ScalarBinder.call(
                    function,
                    ColumnType.BOOL,
                    searchPredicate(binary.left(), rows, caseSensitive),
                    searchPredicate(binary.right(), rows, caseSensitive));
        }
        if (!(predicate instanceof Expression.Literal literal) || literal.kind() != LiteralKind.STRING) {
            return binder.scalars.condition(predicate, new RowScope(rows.columns()));
        }
        String term = literal.value();
        if (term.contains("*")) {
            throw binder.error(DiagnosticCode.UNSUPPORTED_FEATURE, predicate.span(), "wildcards in search terms");
        }
        ScalarFunction has = ScalarFunction.HAS;
        if (caseSensitive) {
            has = ScalarFunction.HAS_CS;
        }
        List<ScalarExpression> tests = new ArrayList<>();
        for (int index = 0; index < rows.columns().size(); index++) {
            PlanColumn column = rows.columns().get(index);
            if (column.hidden() || column.name().equals("$table") || (!term.isEmpty() && isFiller(rows, index))) {
                continue;
            }
            tests.add(ScalarBinder.call(
                    has,
                    ColumnType.BOOL,
                    binder.conversions.asString(Binder.reference(rows, index)),
                    Constant.ofString(term)));
        }
        if (tests.isEmpty()) {
            return Constant.ofBool(false);
        }
        if (tests.size() == 1) {
            return tests.get(0);
        }
        return new Call(ScalarFunction.OR, tests, ColumnType.BOOL);
    }

    /**
     * Whether a union leg's column is one the leg does not have (a typed null, or the empty string for a
     * string): no non-empty term can be in it, so search need not look.
     */
    static boolean isFiller(PlanNode rows, int index) {
        return rows instanceof PlanNode.Project project
                && project.expressions().get(index) instanceof Constant constant
                && (constant.value() == null || "".equals(constant.value()));
    }

    /** One {@code on} item: a column name on both sides, or {@code $left.a == $right.b}, or an and of them. */
    void joinCondition(Expression condition, PlanNode left, PlanNode right, List<int[]> pairs) {
        switch (condition) {
            case Expression.NameReference name -> {
                int leftIndex = ProjectOperators.visibleIndex(left.columns(), name.name());
                int rightIndex = ProjectOperators.visibleIndex(right.columns(), name.name());
                if (leftIndex < 0 || rightIndex < 0) {
                    throw binder.error(DiagnosticCode.UNKNOWN_COLUMN, name.span(), name.name());
                }
                pairs.add(new int[] {leftIndex, rightIndex});
            }
            case Expression.Parenthesized parenthesized ->
                joinCondition(parenthesized.expression(), left, right, pairs);
            case Expression.Binary binary
            when binary.operator() == BinaryOperator.AND -> {
                joinCondition(binary.left(), left, right, pairs);
                joinCondition(binary.right(), left, right, pairs);
            }
            case Expression.Binary binary
            when binary.operator() == BinaryOperator.EQUAL -> {
                Optional<String[]> first = side(binary.left());
                Optional<String[]> second = side(binary.right());
                if (first.isEmpty() || second.isEmpty() || first.get()[0].equals(second.get()[0])) {
                    throw binder.error(
                            DiagnosticCode.INVALID_JOIN_CONDITION,
                            condition.span(),
                            "expected $left.column == $right.column");
                }
                String leftName = first.get()[1];
                String rightName = second.get()[1];
                if (first.get()[0].equals("$right")) {
                    leftName = second.get()[1];
                    rightName = first.get()[1];
                }
                int leftIndex = ProjectOperators.visibleIndex(left.columns(), leftName);
                int rightIndex = ProjectOperators.visibleIndex(right.columns(), rightName);
                if (leftIndex < 0) {
                    throw binder.error(
                            DiagnosticCode.UNKNOWN_COLUMN, binary.left().span(), leftName);
                }
                if (rightIndex < 0) {
                    throw binder.error(
                            DiagnosticCode.UNKNOWN_COLUMN, binary.right().span(), rightName);
                }
                pairs.add(new int[] {leftIndex, rightIndex});
            }
            default ->
                throw binder.error(
                        DiagnosticCode.INVALID_JOIN_CONDITION,
                        condition.span(),
                        "expected a column name or $left.column == $right.column");
        }
    }

    static Optional<String[]> side(Expression expression) {
        if (expression instanceof Expression.MemberAccess member
                && member.target() instanceof Expression.NameReference name
                && (name.name().equals("$left") || name.name().equals("$right"))) {
            return Optional.of(new String[] {name.name(), member.member()});
        }
        return Optional.empty();
    }
}
