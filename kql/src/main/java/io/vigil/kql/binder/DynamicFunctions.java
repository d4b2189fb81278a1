package io.vigil.kql.binder;

import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.List;

/** Dynamic values built from arguments: {@code pack}/{@code bag_pack}, {@code pack_array}, and {@code array_length} (dynamic functions). */
final class DynamicFunctions extends FunctionFamily {
    DynamicFunctions(BindAccess access) {
        super(access);
    }

    @Override
    ScalarExpression bound(Expression.FunctionCall call) {
        String name = call.name();
        switch (name) {
            case "array_length", "arraylength" -> {
                access.arity(call, 1, 1);
                return ScalarBinder.call(
                        ScalarFunction.ARRAY_LENGTH,
                        ColumnType.LONG,
                        access.convert(access.argument(call, 0), ColumnType.DYNAMIC));
            }
            case "pack", "bag_pack", "pack_dictionary" -> {
                // alternating keys and values (bag-pack-function); keys are strings
                if (call.arguments().size() % 2 != 0) {
                    throw access.error(
                            DiagnosticCode.WRONG_ARGUMENT_COUNT,
                            call.span(),
                            name,
                            "an even number of",
                            call.arguments().size());
                }
                List<ScalarExpression> arguments = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    ScalarExpression value = access.argument(call, index);
                    if (index % 2 == 0) {
                        value = access.asString(value);
                    }
                    arguments.add(value);
                }
                return new Call(ScalarFunction.BAG_PACK, arguments, ColumnType.DYNAMIC);
            }
            case "pack_array" -> {
                access.arity(call, 1, 64);
                List<ScalarExpression> arguments = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    arguments.add(access.argument(call, index));
                }
                return new Call(ScalarFunction.ARRAY_PACK, arguments, ColumnType.DYNAMIC);
            }
            default -> {
                return null;
            }
        }
    }
}
