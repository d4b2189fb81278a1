package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.BinaryOperator;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.plan.AggregateFunction;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.ColumnReference;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Set membership: {@code in}, {@code !in}, {@code in~}, {@code has_any}, {@code has_all} over lists, dynamic arrays and tabular values, and {@code between} (in-operator, has-any-operator, between-operator). */
final class InOperators {
    private final Binder binder;

    InOperators(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    /** in, !in, in~, !in~, has_any, has_all over a list, a dynamic array constant or a subquery (in-operator). */
    ScalarExpression in(Expression.In in, RowScope scope) {
        ScalarExpression left = binder.scalars.scalar(in.left(), scope);
        boolean ignoreCase = switch (in.operator()) {
            case IN_CASE_INSENSITIVE, NOT_IN_CASE_INSENSITIVE -> true;
            case IN, NOT_IN, HAS_ANY, HAS_ALL -> false;
        };
        boolean negated = switch (in.operator()) {
            case NOT_IN, NOT_IN_CASE_INSENSITIVE -> true;
            case IN, IN_CASE_INSENSITIVE, HAS_ANY, HAS_ALL -> false;
        };
        if (in.values().size() == 1 && binder.isTabular(in.values().get(0))) {
            PlanNode relation = binder.visibleOnly(binder.tabular(in.values().get(0)));
            if (isHasAnyOrAll(in)) {
                return hasTerms(in, left, List.of(valuesOfFirstColumn(in, relation)));
            }
            if (relation.columns().isEmpty()) {
                throw binder.error(
                        DiagnosticCode.EXPECTED_TABULAR, in.values().get(0).span());
            }
            ColumnType type = relation.columns().get(0).type();
            if (type == ColumnType.DYNAMIC || Conversions.isLooseEquality(left.type(), type)) {
                // a dynamic (or loosely equal) column compares by its text, as scalar dynamic values do
                ColumnReference first = Binder.reference(relation, 0);
                relation = new PlanNode.Project(
                        relation,
                        List.of(binder.conversions.asString(first)),
                        List.of(new PlanColumn(first.name(), ColumnType.STRING)));
                type = ColumnType.STRING;
                left = binder.conversions.asString(left);
            }
            ColumnType common = Conversions.comparisonType(left.type(), type);
            if (common == null || common != type) {
                if (common == null) {
                    throw binder.error(
                            DiagnosticCode.TYPE_MISMATCH,
                            in.span(),
                            "Cannot compare " + left.type().kqlName() + " with a column of " + type.kqlName());
                }
            }
            ScalarExpression test = new ScalarExpression.InRelation(
                    binder.conversions.convert(left, type), relation, ignoreCase, ColumnType.BOOL);
            if (negated) {
                return ScalarBinder.call(ScalarFunction.NOT, ColumnType.BOOL, test);
            }
            return test;
        }
        List<ScalarExpression> values = new ArrayList<>();
        for (Expression value : in.values()) {
            values.addAll(listValues(value, scope));
        }
        if (values.isEmpty()) {
            // nothing is in an empty list
            return Constant.ofBool(negated);
        }
        List<ScalarExpression> arrays = new ArrayList<>();
        for (ScalarExpression value : values) {
            if (value.type() == ColumnType.DYNAMIC) {
                arrays.add(value);
            }
        }
        if (!arrays.isEmpty()) {
            return dynamicIn(in, left, values, arrays, ignoreCase, negated);
        }
        ScalarExpression result;
        switch (in.operator()) {
            case HAS_ANY, HAS_ALL -> {
                List<ScalarExpression> arguments = new ArrayList<>();
                arguments.add(binder.conversions.asString(left));
                for (ScalarExpression value : values) {
                    arguments.add(binder.conversions.asString(value));
                }
                if (in.operator() == io.vigil.kql.syntax.InOperator.HAS_ANY) {
                    return new Call(ScalarFunction.HAS_ANY, arguments, ColumnType.BOOL);
                }
                List<ScalarExpression> all = new ArrayList<>();
                for (ScalarExpression value : arguments.subList(1, arguments.size())) {
                    all.add(ScalarBinder.call(ScalarFunction.HAS, ColumnType.BOOL, arguments.get(0), value));
                }
                if (all.size() == 1) {
                    return all.get(0);
                }
                return new Call(ScalarFunction.AND, all, ColumnType.BOOL);
            }
            default -> {
                ColumnType common = left.type();
                if (ignoreCase || common == ColumnType.DYNAMIC) {
                    common = ColumnType.STRING;
                }
                for (ScalarExpression value : values) {
                    if (Conversions.comparisonType(common, value.type()) == null
                            && Conversions.isLooseEquality(common, value.type())) {
                        common = ColumnType.STRING;
                    }
                }
                List<ScalarExpression> arguments = new ArrayList<>();
                arguments.add(binder.conversions.convert(left, common));
                for (ScalarExpression value : values) {
                    ColumnType type = Conversions.comparisonType(common, value.type());
                    // a number listed against a string column compares as its text, as == does
                    if (type == null && !Conversions.isLooseEquality(common, value.type())) {
                        throw binder.error(
                                DiagnosticCode.TYPE_MISMATCH,
                                in.span(),
                                "Cannot compare " + common.kqlName() + " with "
                                        + value.type().kqlName() + " in '"
                                        + in.operator().text() + "'");
                    }
                    arguments.add(binder.conversions.convert(value, common));
                }
                ScalarFunction function = ScalarFunction.IN;
                if (ignoreCase) {
                    function = ScalarFunction.IN_IGNORE_CASE;
                }
                result = new Call(function, arguments, ColumnType.BOOL);
            }
        }
        if (negated) {
            return ScalarBinder.call(ScalarFunction.NOT, ColumnType.BOOL, result);
        }
        return result;
    }

    /**
     * {@code x in (d)} where {@code d} is a dynamic value that is not a literal array (a column, a function
     * parameter, a non-array constant): {@code x} is in it when
     * its text equals an element's (or the value's, for a scalar), as the in operator spreads dynamic
     * arrays (in-operator). Other list values then compare by text too.
     */
    ScalarExpression dynamicIn(
            Expression.In in,
            ScalarExpression left,
            List<ScalarExpression> values,
            List<ScalarExpression> arrays,
            boolean ignoreCase,
            boolean negated) {
        if (isHasAnyOrAll(in)) {
            return hasTerms(in, left, values);
        }
        ScalarExpression text = binder.conversions.asString(left);
        ScalarFunction contains = ScalarFunction.DYNAMIC_CONTAINS;
        ScalarFunction listed = ScalarFunction.IN;
        if (ignoreCase) {
            contains = ScalarFunction.DYNAMIC_CONTAINS_IGNORE_CASE;
            listed = ScalarFunction.IN_IGNORE_CASE;
        }
        List<ScalarExpression> tests = new ArrayList<>();
        List<ScalarExpression> others = new ArrayList<>();
        others.add(text);
        for (ScalarExpression value : values) {
            if (arrays.contains(value)) {
                tests.add(ScalarBinder.call(contains, ColumnType.BOOL, value, text));
            } else {
                others.add(binder.conversions.asString(value));
            }
        }
        if (others.size() > 1) {
            tests.add(new Call(listed, others, ColumnType.BOOL));
        }
        ScalarExpression result = tests.get(0);
        if (tests.size() > 1) {
            result = new Call(ScalarFunction.OR, tests, ColumnType.BOOL);
        }
        if (negated) {
            return ScalarBinder.call(ScalarFunction.NOT, ColumnType.BOOL, result);
        }
        return result;
    }

    static boolean isHasAnyOrAll(Expression.In in) {
        return in.operator() == io.vigil.kql.syntax.InOperator.HAS_ANY
                || in.operator() == io.vigil.kql.syntax.InOperator.HAS_ALL;
    }

    /**
     * {@code has_any} / {@code has_all} whose values include dynamic arrays known only at run time (a column, a
     * {@code toscalar(... make_set(...))}, a tabular let's first column): a dynamic value matches by its elements'
     * terms, other values as {@code has} does; has_any is true when one matches, has_all when all do.
     */
    ScalarExpression hasTerms(Expression.In in, ScalarExpression left, List<ScalarExpression> values) {
        ScalarExpression text = binder.conversions.asString(left);
        boolean any = in.operator() == io.vigil.kql.syntax.InOperator.HAS_ANY;
        List<ScalarExpression> tests = new ArrayList<>();
        for (ScalarExpression value : values) {
            if (value.type() == ColumnType.DYNAMIC) {
                tests.add(ScalarBinder.call(
                        any ? ScalarFunction.HAS_ANY_DYNAMIC : ScalarFunction.HAS_ALL_DYNAMIC,
                        ColumnType.BOOL,
                        text,
                        value));
            } else {
                tests.add(ScalarBinder.call(
                        ScalarFunction.HAS, ColumnType.BOOL, text, binder.conversions.asString(value)));
            }
        }
        if (tests.size() == 1) {
            return tests.get(0);
        }
        return new Call(any ? ScalarFunction.OR : ScalarFunction.AND, tests, ColumnType.BOOL);
    }

    /** A subquery's first column as one dynamic array of its values' text (has-any-operator takes a table's first column). */
    ScalarExpression valuesOfFirstColumn(Expression.In in, PlanNode relation) {
        if (relation.columns().isEmpty()) {
            throw binder.error(
                    DiagnosticCode.EXPECTED_TABULAR, in.values().get(0).span());
        }
        ScalarExpression first = binder.conversions.asString(Binder.reference(relation, 0));
        PlanNode.Aggregate list = new PlanNode.Aggregate(
                relation,
                List.of(),
                List.of(new PlanNode.AggregateCall(AggregateFunction.MAKE_LIST, List.of(first), ColumnType.DYNAMIC)),
                List.of(new PlanColumn("values", ColumnType.DYNAMIC)));
        return new ScalarExpression.ScalarSubquery(list, ColumnType.DYNAMIC);
    }

    /** The values one item of an in-list stands for: a dynamic array constant spreads into its elements. */
    List<ScalarExpression> listValues(Expression value, RowScope scope) {
        Optional<List<ScalarExpression>> elements = binder.dynamicElements(value);
        if (elements.isPresent()) {
            return elements.get();
        }
        if (value instanceof Expression.NameReference name
                && ProjectOperators.visibleIndex(scope.columns(), name.name()) < 0
                && binder.lets.get(name.name()) instanceof Binder.ScalarBinding binding
                && binding.elements().isPresent()) {
            return binding.elements().get();
        }
        // a dynamic value that is not a constant array (a column, a function parameter) is matched at run time
        return List.of(binder.scalars.scalar(value, scope));
    }

    /** {@code x between (a .. b)}: inclusive; a timespan upper bound counts from the lower (between-operator). */
    ScalarExpression between(Expression.Between between, RowScope scope) {
        ScalarExpression value = binder.scalars.scalar(between.left(), scope);
        ScalarExpression low = binder.scalars.scalar(between.low(), scope);
        ScalarExpression high = binder.scalars.scalar(between.high(), scope);
        if (value.type() == ColumnType.DATETIME && high.type() == ColumnType.TIMESPAN) {
            high = binder.scalars.arithmetic(
                    BinaryOperator.ADD,
                    low,
                    high,
                    new Expression.Binary(between.span(), BinaryOperator.ADD, between.low(), between.high()));
        }
        Expression.Binary site =
                new Expression.Binary(between.span(), BinaryOperator.GREATER_EQUAL, between.left(), between.low());
        ScalarExpression result = ScalarBinder.call(
                ScalarFunction.AND,
                ColumnType.BOOL,
                binder.scalars.compare(ScalarFunction.GREATER_EQUAL, value, low, site),
                binder.scalars.compare(ScalarFunction.LESS_EQUAL, value, high, site));
        if (between.negated()) {
            return ScalarBinder.call(ScalarFunction.NOT, ColumnType.BOOL, result);
        }
        return result;
    }
}
