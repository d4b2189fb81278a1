package io.vigil.kql.binder;

import io.vigil.kql.syntax.Expression;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.spi.ColumnType;

/** Conversion functions: {@code tostring}, {@code toint}, {@code tolong}, {@code toreal}, {@code tobool}, {@code todatetime}, {@code totimespan}, {@code todynamic} and their other spellings (conversion functions; a constant string folds to its value). */
final class ConversionFunctions extends FunctionFamily {
    ConversionFunctions(BindAccess access) {
        super(access);
    }

    @Override
    ScalarExpression bound(Expression.FunctionCall call) {
        String name = call.name();
        switch (name) {
            case "tostring" -> {
                access.arity(call, 1, 1);
                return access.asString(access.argument(call, 0));
            }
            case "toint" -> {
                access.arity(call, 1, 1);
                return access.convert(access.argument(call, 0), ColumnType.INT);
            }
            case "tolong" -> {
                access.arity(call, 1, 1);
                return access.convert(access.argument(call, 0), ColumnType.LONG);
            }
            case "toreal", "todouble" -> {
                access.arity(call, 1, 1);
                return access.convert(access.argument(call, 0), ColumnType.REAL);
            }
            case "tobool", "toboolean" -> {
                access.arity(call, 1, 1);
                return access.convert(access.argument(call, 0), ColumnType.BOOL);
            }
            case "todatetime" -> {
                access.arity(call, 1, 1);
                ScalarExpression value = access.argument(call, 0);
                if (value instanceof Constant constant
                        && constant.value() instanceof String text
                        && constant.type() == ColumnType.STRING) {
                    return new Constant(
                            ColumnType.DATETIME, LiteralValues.datetime(text).orElse(null));
                }
                return access.convert(value, ColumnType.DATETIME);
            }
            case "totimespan", "totime" -> {
                access.arity(call, 1, 1);
                ScalarExpression value = access.argument(call, 0);
                if (value instanceof Constant constant
                        && constant.value() instanceof String text
                        && constant.type() == ColumnType.STRING) {
                    return new Constant(
                            ColumnType.TIMESPAN, LiteralValues.timespan(text).orElse(null));
                }
                return access.convert(value, ColumnType.TIMESPAN);
            }
            // parsejson and arraylength are the deprecated spellings the corpus still uses
            case "todynamic", "parse_json", "toobject", "parsejson" -> {
                access.arity(call, 1, 1);
                return access.convert(access.argument(call, 0), ColumnType.DYNAMIC);
            }
            default -> {
                return null;
            }
        }
    }
}
