package io.vigil.kql.binder;

import io.vigil.kql.syntax.BinaryOperator;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.time.Duration;

/** Date and time functions relative to the query's fixed {@code now()}: {@code ago}, {@code now}, {@code startofday}, {@code endofday}, {@code datetime_diff} (datetime functions). */
final class DateTimeFunctions extends FunctionFamily {
    DateTimeFunctions(BindAccess access) {
        super(access);
    }

    @Override
    ScalarExpression bound(Expression.FunctionCall call) {
        String name = call.name();
        switch (name) {
            case "ago" -> {
                access.arity(call, 1, 1);
                ScalarExpression span = access.argument(call, 0);
                if (span.type() != ColumnType.TIMESPAN) {
                    throw access.error(DiagnosticCode.TYPE_MISMATCH, call.span(), "ago() takes a timespan");
                }
                return access.arithmetic(
                        BinaryOperator.SUBTRACT,
                        new Constant(ColumnType.DATETIME, access.now()),
                        span,
                        new Expression.Binary(
                                call.span(),
                                BinaryOperator.SUBTRACT,
                                call,
                                call.arguments().get(0)));
            }
            case "now" -> {
                access.arity(call, 0, 1);
                Constant now = new Constant(ColumnType.DATETIME, access.now());
                if (call.arguments().isEmpty()) {
                    return now;
                }
                return access.arithmetic(
                        BinaryOperator.ADD,
                        now,
                        access.argument(call, 0),
                        new Expression.Binary(
                                call.span(),
                                BinaryOperator.ADD,
                                call,
                                call.arguments().get(0)));
            }
            case "startofday" -> {
                access.arity(call, 1, 1);
                ScalarExpression value = access.argument(call, 0);
                if (value.type() != ColumnType.DATETIME) {
                    value = access.convert(value, ColumnType.DATETIME);
                }
                return ScalarBinder.call(
                        ScalarFunction.BIN,
                        ColumnType.DATETIME,
                        value,
                        new Constant(ColumnType.TIMESPAN, Duration.ofDays(1)));
            }
            case "datetime_diff" -> {
                // datetime_diff(period, a, b): period boundaries from b to a (datetime-diff-function)
                access.arity(call, 3, 3);
                String period =
                        access.constantString(call, 0, "datetime_diff period").toLowerCase(java.util.Locale.ROOT);
                String part = switch (period) {
                    case "year" -> "year";
                    case "quarter" -> "quarter";
                    case "month" -> "month";
                    case "week" -> "week";
                    case "day" -> "day";
                    case "hour" -> "hour";
                    case "minute" -> "minute";
                    case "second" -> "second";
                    case "millisecond" -> "millisecond";
                    case "microsecond" -> "microsecond";
                    default ->
                        throw access.error(
                                DiagnosticCode.INVALID_VALUE,
                                call.arguments().get(0).span(),
                                "datetime_diff period",
                                period);
                };
                return ScalarBinder.call(
                        ScalarFunction.DATETIME_DIFF,
                        ColumnType.LONG,
                        Constant.ofString(part),
                        access.convert(access.argument(call, 1), ColumnType.DATETIME),
                        access.convert(access.argument(call, 2), ColumnType.DATETIME));
            }
            case "endofday" -> {
                // the last tick of the day; timespans here keep microseconds (endofday-function)
                access.arity(call, 1, 1);
                ScalarExpression day = ScalarBinder.call(
                        ScalarFunction.BIN,
                        ColumnType.DATETIME,
                        access.convert(access.argument(call, 0), ColumnType.DATETIME),
                        new Constant(ColumnType.TIMESPAN, Duration.ofDays(1)));
                return ScalarBinder.call(
                        ScalarFunction.ADD,
                        ColumnType.DATETIME,
                        day,
                        new Constant(ColumnType.TIMESPAN, Duration.ofDays(1).minusNanos(1000)));
            }
            default -> {
                return null;
            }
        }
    }
}
