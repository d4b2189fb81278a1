package io.vigil.kql.binder;

import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.List;

/** Conditional and logical functions: {@code iff}, {@code case}, {@code coalesce}, {@code max_of}/{@code min_of}, {@code isempty}/{@code isnull} and their negations, {@code not}; their values unify to one type as KQL promotes numbers. */
final class ConditionalFunctions extends FunctionFamily {
    ConditionalFunctions(BindAccess access) {
        super(access);
    }

    @Override
    ScalarExpression bound(Expression.FunctionCall call) {
        String name = call.name();
        switch (name) {
            case "iff", "iif" -> {
                access.arity(call, 3, 3);
                ScalarExpression condition = access.toBool(
                        access.argument(call, 0), call.arguments().get(0).span());
                List<ScalarExpression> values =
                        access.unify(call, List.of(access.argument(call, 1), access.argument(call, 2)));
                return ScalarBinder.call(
                        ScalarFunction.IF, values.get(0).type(), condition, values.get(0), values.get(1));
            }
            case "case" -> {
                access.arity(call, 3, Integer.MAX_VALUE);
                if (call.arguments().size() % 2 == 0) {
                    throw access.error(
                            DiagnosticCode.WRONG_ARGUMENT_COUNT,
                            call.span(),
                            name,
                            "an odd number of",
                            call.arguments().size());
                }
                List<ScalarExpression> conditions = new ArrayList<>();
                List<ScalarExpression> values = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    if (index % 2 == 0 && index < call.arguments().size() - 1) {
                        conditions.add(access.toBool(
                                access.argument(call, index),
                                call.arguments().get(index).span()));
                    } else {
                        values.add(access.argument(call, index));
                    }
                }
                values = access.unify(call, values);
                List<ScalarExpression> arguments = new ArrayList<>();
                for (int index = 0; index < conditions.size(); index++) {
                    arguments.add(conditions.get(index));
                    arguments.add(values.get(index));
                }
                arguments.add(values.get(values.size() - 1));
                return new Call(ScalarFunction.CASE, arguments, values.get(0).type());
            }
            case "coalesce" -> {
                access.arity(call, 1, 64);
                List<ScalarExpression> values = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    values.add(access.argument(call, index));
                }
                values = access.unify(call, values);
                return new Call(ScalarFunction.COALESCE, values, values.get(0).type());
            }
            case "max_of", "min_of" -> {
                // arguments of one type, non-null values before nulls (max-of-function, min-of-function)
                access.arity(call, 2, 64);
                List<ScalarExpression> values = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    values.add(access.argument(call, index));
                }
                values = access.unify(call, values);
                ScalarFunction extreme = ScalarFunction.GREATEST;
                if (name.equals("min_of")) {
                    extreme = ScalarFunction.LEAST;
                }
                return new Call(extreme, values, values.get(0).type());
            }
            case "isempty", "isnotempty" -> {
                access.arity(call, 1, 1);
                ScalarExpression test =
                        ScalarBinder.call(ScalarFunction.IS_EMPTY, ColumnType.BOOL, access.argument(call, 0));
                if (name.equals("isnotempty")) {
                    return ScalarBinder.call(ScalarFunction.NOT, ColumnType.BOOL, test);
                }
                return test;
            }
            case "isnull", "isnotnull" -> {
                access.arity(call, 1, 1);
                ScalarExpression test =
                        ScalarBinder.call(ScalarFunction.IS_NULL, ColumnType.BOOL, access.argument(call, 0));
                if (name.equals("isnotnull")) {
                    return ScalarBinder.call(ScalarFunction.NOT, ColumnType.BOOL, test);
                }
                return test;
            }
            case "not" -> {
                access.arity(call, 1, 1);
                return ScalarBinder.call(
                        ScalarFunction.NOT,
                        ColumnType.BOOL,
                        access.toBool(
                                access.argument(call, 0),
                                call.arguments().get(0).span()));
            }
            default -> {
                return null;
            }
        }
    }
}
