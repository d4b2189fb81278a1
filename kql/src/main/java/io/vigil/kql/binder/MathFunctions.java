package io.vigil.kql.binder;

import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;

/** Numeric functions: {@code bin}/{@code floor} (numbers, timespans and datetimes), {@code round}, {@code abs} (math functions). */
final class MathFunctions extends FunctionFamily {
    MathFunctions(BindAccess access) {
        super(access);
    }

    @Override
    ScalarExpression bound(Expression.FunctionCall call) {
        String name = call.name();
        switch (name) {
            case "bin", "floor" -> {
                access.arity(call, 2, 2);
                ScalarExpression value = access.argument(call, 0);
                ScalarExpression size = access.argument(call, 1);
                if (value.type() == ColumnType.DYNAMIC) {
                    value = access.convert(value, ColumnType.REAL);
                }
                boolean valid = (value.type() == ColumnType.DATETIME && size.type() == ColumnType.TIMESPAN)
                        || (value.type() == ColumnType.TIMESPAN && size.type() == ColumnType.TIMESPAN)
                        || (Conversions.isNumeric(value.type()) && Conversions.isNumeric(size.type()));
                if (!valid) {
                    throw access.error(
                            DiagnosticCode.TYPE_MISMATCH,
                            call.span(),
                            "bin() of " + value.type().kqlName() + " by "
                                    + size.type().kqlName());
                }
                ColumnType type = value.type();
                if (Conversions.isNumeric(type)) {
                    type = Conversions.promote(type, size.type());
                    value = access.convert(value, type);
                    size = access.convert(size, type);
                }
                return ScalarBinder.call(ScalarFunction.BIN, type, value, size);
            }
            case "round" -> {
                // round(number, precision = 0) (round-function)
                access.arity(call, 1, 2);
                ScalarExpression precision = Constant.ofLong(0L);
                if (call.arguments().size() == 2) {
                    precision = access.integer(call, 1);
                }
                return ScalarBinder.call(ScalarFunction.ROUND, ColumnType.REAL, access.number(call, 0), precision);
            }
            case "abs" -> {
                access.arity(call, 1, 1);
                ScalarExpression value = access.argument(call, 0);
                if (value.type() == ColumnType.DYNAMIC) {
                    value = access.convert(value, ColumnType.REAL);
                }
                if (!Conversions.isNumeric(value.type()) && value.type() != ColumnType.TIMESPAN) {
                    throw access.error(DiagnosticCode.TYPE_MISMATCH, call.span(), "abs() takes a number or a timespan");
                }
                return ScalarBinder.call(ScalarFunction.ABS, value.type(), value);
            }
            default -> {
                return null;
            }
        }
    }
}
