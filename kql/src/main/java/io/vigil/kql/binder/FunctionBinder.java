package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.catalog.LanguageRegistry;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
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
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Scalar function calls: arguments (named ones placed positionally), arity, and the function families; a name that is no built-in may be a user function, an aggregate out of place, known but unsupported, or unknown. */
final class FunctionBinder {
    private final Binder binder;

    FunctionBinder(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    /**
     * pack_all([ignore_null_empty]): a bag of every visible column of the row, keyed by column name in column
     * order (pack-all-function); with {@code true}, the columns that are null (or an empty string) are left out.
     */
    ScalarExpression packAll(Expression.FunctionCall call, RowScope scope) {
        arity(call, 0, 1);
        boolean ignoreNullEmpty = false;
        if (call.arguments().size() == 1) {
            if (!(argument(call, 0, scope) instanceof Constant constant)
                    || !(constant.value() instanceof Boolean flag)) {
                throw binder.error(
                        DiagnosticCode.EXPECTED_CONSTANT,
                        call.arguments().get(0).span(),
                        "bool (ignore_null_empty)");
            }
            ignoreNullEmpty = flag;
        }
        List<ScalarExpression> pairs = new ArrayList<>();
        List<ScalarExpression> single = new ArrayList<>();
        for (int index = 0; index < scope.columns().size(); index++) {
            PlanColumn column = scope.columns().get(index);
            if (column.hidden()) {
                continue;
            }
            ScalarExpression value = new ColumnReference(index, column.name(), column.type());
            ScalarExpression key = Constant.ofString(column.name());
            if (!ignoreNullEmpty) {
                pairs.add(key);
                pairs.add(value);
                continue;
            }
            ScalarExpression empty = ScalarBinder.call(ScalarFunction.IS_NULL, ColumnType.BOOL, value);
            if (column.type() == ColumnType.STRING) {
                empty = ScalarBinder.call(
                        ScalarFunction.OR,
                        ColumnType.BOOL,
                        empty,
                        ScalarBinder.call(ScalarFunction.EQUAL, ColumnType.BOOL, value, Constant.ofString("")));
            }
            single.add(ScalarBinder.call(
                    ScalarFunction.IF,
                    ColumnType.DYNAMIC,
                    empty,
                    new Constant(ColumnType.DYNAMIC, "{}"),
                    new Call(ScalarFunction.BAG_PACK, List.of(key, value), ColumnType.DYNAMIC)));
        }
        if (!ignoreNullEmpty) {
            return new Call(ScalarFunction.BAG_PACK, pairs, ColumnType.DYNAMIC);
        }
        if (single.isEmpty()) {
            return new Constant(ColumnType.DYNAMIC, "{}");
        }
        // the keys are distinct; bag_merge concatenates its bags last to first, so this keeps column order
        List<ScalarExpression> reversed = new ArrayList<>(single);
        Collections.reverse(reversed);
        return new Call(ScalarFunction.BAG_MERGE, reversed, ColumnType.DYNAMIC);
    }

    void arity(Expression.FunctionCall call, int minimum, int maximum) {
        int count = call.arguments().size();
        if (count < minimum || count > maximum) {
            String expected = Integer.toString(minimum);
            if (maximum != minimum) {
                if (maximum == Integer.MAX_VALUE) {
                    expected = minimum + " or more";
                } else {
                    expected = minimum + " to " + maximum;
                }
            }
            throw binder.error(DiagnosticCode.WRONG_ARGUMENT_COUNT, call.span(), call.name(), expected, count);
        }
    }

    ScalarExpression argument(Expression.FunctionCall call, int index, RowScope scope) {
        return binder.scalars.scalar(call.arguments().get(index), scope);
    }

    /** The call with its named arguments ({@code make_set(x, maxSize=500)}) in their parameters' places. */
    Expression.FunctionCall positionalArguments(Expression.FunctionCall call) {
        if (!NamedArguments.applies(call) || binder.lets.get(call.name()) instanceof Binder.FunctionBinding) {
            return call;
        }
        Optional<NamedArguments.Problem> problem = NamedArguments.problem(call);
        if (problem.isPresent()) {
            Span span = problem.get().argument() == null
                    ? call.span()
                    : problem.get().argument().span();
            throw binder.error(
                    DiagnosticCode.UNSUPPORTED_FEATURE, span, problem.get().reason());
        }
        return NamedArguments.positional(call);
    }

    ScalarExpression function(Expression.FunctionCall original, RowScope scope) {
        Expression.FunctionCall call = positionalArguments(original);
        String name = call.name();
        if (binder.aggregations.aggregateHook != null
                && Aggregations.isAggregateName(name)
                && !(binder.lets.get(name) instanceof Binder.FunctionBinding)) {
            var hook = binder.aggregations.aggregateHook;
            binder.aggregations.aggregateHook = null;
            try {
                return hook.apply(call);
            } finally {
                binder.aggregations.aggregateHook = hook;
            }
        }
        switch (name) {
            case "series_stats_dynamic",
                    "series_outliers",
                    "range",
                    "series_fit_line",
                    "series_stats",
                    "series_decompose_anomalies" -> {
                return binder.series.seriesFunction(call, scope);
            }
            case "pack_all" -> {
                return packAll(call, scope);
            }
            // the first column of the first row of a tabular expression (toscalar-function)
            case "toscalar" -> {
                arity(call, 1, 1);
                PlanNode relation =
                        binder.visibleOnly(binder.tabular(call.arguments().get(0)));
                if (relation.columns().isEmpty()) {
                    throw binder.error(
                            DiagnosticCode.EXPECTED_TABULAR,
                            call.arguments().get(0).span());
                }
                return new ScalarExpression.ScalarSubquery(
                        relation, relation.columns().get(0).type());
            }
            case "column_ifexists", "columnifexists" -> {
                // the column when the input has it, else the default (column-ifexists-function)
                arity(call, 2, 2);
                String column = constantString(call, 0, scope, "column name");
                int index = ProjectOperators.visibleIndex(scope.columns(), column);
                if (index >= 0) {
                    PlanColumn found = scope.columns().get(index);
                    return new ColumnReference(index, found.name(), found.type());
                }
                return argument(call, 1, scope);
            }
            case "ingestion_time" -> {
                arity(call, 0, 0);
                for (int index = 0; index < scope.columns().size(); index++) {
                    PlanColumn column = scope.columns().get(index);
                    if (column.hidden() && column.name().equals(Binder.INGESTION_TIME)) {
                        return new ColumnReference(index, column.name(), column.type());
                    }
                }
                // without the hidden column (after project or summarize) the value is null (ingestiontime-function)
                return Constant.nullOf(ColumnType.DATETIME);
            }
            default -> {
                Optional<ScalarExpression> family = familyCall(call, binder.access(scope));
                if (family.isPresent()) {
                    return family.get();
                }
                if (Aggregations.isAggregateName(name)) {
                    throw binder.error(DiagnosticCode.AGGREGATE_OUTSIDE_SUMMARIZE, call.span(), name);
                }
                if (binder.lets.get(name) instanceof Binder.FunctionBinding function) {
                    return binder.scalarCall(name, function, call.arguments(), scope, call.span());
                }
                if (binder.lets.get(name) instanceof Binder.FailedBinding) {
                    throw new BindError();
                }
                if (LanguageRegistry.standard().function(name).isPresent()) {
                    throw binder.error(DiagnosticCode.UNSUPPORTED_FUNCTION, call.span(), name);
                }
                throw binder.error(DiagnosticCode.UNKNOWN_FUNCTION, call.span(), name);
            }
        }
    }

    /** The call bound by the family of functions that has its name, or empty when none has. */
    private static Optional<ScalarExpression> familyCall(Expression.FunctionCall call, BindAccess access) {
        return new ConversionFunctions(access)
                .bind(call)
                .or(() -> new StringFunctions(access).bind(call))
                .or(() -> new ConditionalFunctions(access).bind(call))
                .or(() -> new MathFunctions(access).bind(call))
                .or(() -> new DateTimeFunctions(access).bind(call))
                .or(() -> new DynamicFunctions(access).bind(call))
                .or(() -> new MoreFunctions(access).bind(call));
    }

    ScalarExpression number(Expression.FunctionCall call, int index, RowScope scope) {
        ScalarExpression value = argument(call, index, scope);
        if (Conversions.isNumeric(value.type()) || value.type() == ColumnType.DYNAMIC) {
            return binder.conversions.convert(value, ColumnType.REAL);
        }
        throw binder.error(
                DiagnosticCode.TYPE_MISMATCH,
                call.arguments().get(index).span(),
                "Expected a number, got " + value.type().kqlName());
    }

    String constantString(Expression.FunctionCall call, int index, RowScope scope, String what) {
        ScalarExpression value = argument(call, index, scope);
        if (value instanceof Constant constant && constant.value() instanceof String text) {
            return text;
        }
        throw binder.error(
                DiagnosticCode.EXPECTED_CONSTANT, call.arguments().get(index).span(), what);
    }

    ScalarExpression integer(Expression.FunctionCall call, int index, RowScope scope) {
        ScalarExpression value = argument(call, index, scope);
        if (value.type() == ColumnType.INT || value.type() == ColumnType.LONG) {
            return binder.conversions.convert(value, ColumnType.LONG);
        }
        if (value.type() == ColumnType.DYNAMIC) {
            return binder.conversions.convert(value, ColumnType.LONG);
        }
        throw binder.error(
                DiagnosticCode.TYPE_MISMATCH,
                call.arguments().get(index).span(),
                "Expected an integer, got " + value.type().kqlName());
    }

    /** Values of one result (iff, case, coalesce): numbers promote; other types must agree. */
    List<ScalarExpression> unify(Expression.FunctionCall call, List<ScalarExpression> values) {
        ColumnType type = null;
        for (ScalarExpression value : values) {
            boolean typedNull = value instanceof Constant constant
                    && constant.value() == null
                    && constant.type() == ColumnType.DYNAMIC;
            if (typedNull) {
                continue;
            }
            if (type == null) {
                type = value.type();
            } else if (type != value.type()) {
                ColumnType common = Conversions.comparisonType(type, value.type());
                if (common == null) {
                    throw binder.error(
                            DiagnosticCode.TYPE_MISMATCH,
                            call.span(),
                            "Arguments of " + call.name() + " have different types: " + type.kqlName() + " and "
                                    + value.type().kqlName());
                }
                type = common;
            }
        }
        if (type == null) {
            type = ColumnType.DYNAMIC;
        }
        List<ScalarExpression> converted = new ArrayList<>();
        for (ScalarExpression value : values) {
            converted.add(binder.conversions.convert(value, type));
        }
        return converted;
    }
}
