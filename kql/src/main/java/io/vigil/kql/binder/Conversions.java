package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.Locale;

/** KQL's type rules: numeric promotion, comparable types, conversions between scalar types (folded when constant), and type names ({@code typeof(long)}). */
final class Conversions {
    private final Binder binder;

    Conversions(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    ColumnType typeName(Clause.TypeReference type) {
        return switch (type.name().toLowerCase(Locale.ROOT)) {
            case "string" -> ColumnType.STRING;
            case "int", "int32" -> ColumnType.INT;
            case "long", "int64" -> ColumnType.LONG;
            case "real", "double" -> ColumnType.REAL;
            case "bool", "boolean" -> ColumnType.BOOL;
            case "datetime", "date" -> ColumnType.DATETIME;
            case "timespan", "time" -> ColumnType.TIMESPAN;
            case "guid", "uniqueid" -> ColumnType.GUID;
            case "dynamic" -> ColumnType.DYNAMIC;
            default -> throw binder.error(DiagnosticCode.UNSUPPORTED_FEATURE, type.span(), "type " + type.name());
        };
    }

    /**
     * String against number under {@code ==}, {@code !=}, {@code in}, {@code !in}: Log Analytics runs these
     * and compares the number as its text; Sentinel rules rely on it ({@code SigninLogs | where ResultType ==
     * 50057}, where ResultType is a string, and {@code EventID in ("4688")} over the int EventID). Ordering
     * comparisons stay errors, as in Kusto ("Cannot compare values of types string and long").
     */
    static boolean isLooseEquality(ColumnType left, ColumnType right) {
        return (left == ColumnType.STRING && isNumeric(right)) || (isNumeric(left) && right == ColumnType.STRING);
    }

    static boolean isNumeric(ColumnType type) {
        return type == ColumnType.INT || type == ColumnType.LONG || type == ColumnType.REAL;
    }

    static ColumnType promote(ColumnType left, ColumnType right) {
        if (left == ColumnType.REAL || right == ColumnType.REAL) {
            return ColumnType.REAL;
        }
        if (left == ColumnType.LONG || right == ColumnType.LONG) {
            return ColumnType.LONG;
        }
        return ColumnType.INT;
    }

    /** The type two sides are compared in; dynamic takes the other side's type. */
    static ColumnType comparisonType(ColumnType left, ColumnType right) {
        if (left == right) {
            return left;
        }
        if (isNumeric(left) && isNumeric(right)) {
            return promote(left, right);
        }
        if (left == ColumnType.DYNAMIC) {
            return right;
        }
        if (right == ColumnType.DYNAMIC) {
            return left;
        }
        if ((left == ColumnType.STRING && right == ColumnType.GUID)
                || (left == ColumnType.GUID && right == ColumnType.STRING)) {
            return ColumnType.STRING;
        }
        return null;
    }

    /** A value in another type: constants fold, others convert with KQL's to* functions. */
    ScalarExpression convert(ScalarExpression value, ColumnType target) {
        if (value.type() == target) {
            return value;
        }
        if (value instanceof Constant constant) {
            Object folded = fold(constant, target);
            if (folded != null || constant.value() == null) {
                if (folded == null && target == ColumnType.STRING) {
                    return Constant.ofString("");
                }
                return new Constant(target, folded);
            }
        }
        ScalarFunction function = switch (target) {
            case STRING, GUID -> ScalarFunction.TO_STRING;
            case INT -> ScalarFunction.TO_INT;
            case LONG -> ScalarFunction.TO_LONG;
            case REAL -> ScalarFunction.TO_REAL;
            case BOOL -> ScalarFunction.TO_BOOL;
            case DATETIME -> ScalarFunction.TO_DATETIME;
            case TIMESPAN -> ScalarFunction.TO_TIMESPAN;
            case DYNAMIC -> ScalarFunction.TO_DYNAMIC;
        };
        ColumnType result = target;
        if (target == ColumnType.GUID) {
            result = ColumnType.STRING;
        }
        return ScalarBinder.call(function, result, value);
    }

    static Object fold(Constant constant, ColumnType target) {
        Object value = constant.value();
        if (value == null) {
            return null;
        }
        return switch (target) {
            case LONG -> {
                if (value instanceof Integer number) {
                    yield (long) number;
                }
                yield null;
            }
            case REAL -> {
                if (value instanceof Number number) {
                    yield number.doubleValue();
                }
                yield null;
            }
            case INT -> {
                if (value instanceof Long number && number == number.intValue()) {
                    yield number.intValue();
                }
                yield null;
            }
            case STRING, GUID -> {
                if (value instanceof String text && constant.type() != ColumnType.DYNAMIC) {
                    yield text;
                }
                if (value instanceof Number || value instanceof Boolean) {
                    yield value.toString();
                }
                yield null;
            }
            case BOOL, DATETIME, TIMESPAN, DYNAMIC -> null;
        };
    }

    ScalarExpression asString(ScalarExpression value) {
        if (value.type() == ColumnType.STRING) {
            return value;
        }
        return convert(value, ColumnType.STRING);
    }

    static ColumnType numericOr(ColumnType type) {
        if (isNumeric(type) || type == ColumnType.DATETIME || type == ColumnType.TIMESPAN) {
            return type;
        }
        return ColumnType.REAL;
    }
}
