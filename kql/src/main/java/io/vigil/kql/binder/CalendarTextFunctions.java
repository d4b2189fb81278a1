package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.LiteralKind;
import io.vigil.plan.DatetimeFormat;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Calendar periods ({@code startofweek} ... {@code endofyear}), {@code format_datetime},
 * {@code extract_all}, {@code strcat_array} and {@code array_index_of}. Each cites its page under
 * https://learn.microsoft.com/kusto/query/.
 */
final class CalendarTextFunctions {
    /** The last tick of a period is one microsecond before the next: timestamps here keep microseconds. */
    private static final Duration ONE_TICK = Duration.ofNanos(1000);

    private final BindAccess access;

    CalendarTextFunctions(BindAccess access) {
        this.access = requireNonNull(access, "access is null");
    }

    /** The bound call, or empty when the name is not one of these functions. */
    Optional<ScalarExpression> bind(Expression.FunctionCall call) {
        ScalarExpression bound = switch (call.name()) {
            case "startofweek" -> startOf(call, "week");
            case "startofmonth" -> startOf(call, "month");
            case "startofyear" -> startOf(call, "year");
            case "endofweek" -> endOf(call, "week");
            case "endofmonth" -> endOf(call, "month");
            case "endofyear" -> endOf(call, "year");
            case "format_datetime" -> formatDatetime(call);
            case "extract_all", "extractall" -> extractAll(call);
            case "strcat_array" -> {
                access.arity(call, 2, 2);
                yield new Call(
                        ScalarFunction.STRCAT_ARRAY,
                        List.of(
                                access.convert(access.argument(call, 0), ColumnType.DYNAMIC),
                                access.asString(access.argument(call, 1))),
                        ColumnType.STRING);
            }
            case "array_index_of" -> {
                // the optional start, length and occurrence arguments are not bound
                access.arity(call, 2, 2);
                yield new Call(
                        ScalarFunction.ARRAY_INDEX_OF,
                        List.of(access.convert(access.argument(call, 0), ColumnType.DYNAMIC), access.argument(call, 1)),
                        ColumnType.LONG);
            }
            case "translate" -> {
                access.arity(call, 3, 3);
                yield new Call(
                        ScalarFunction.TRANSLATE,
                        List.of(
                                access.asString(access.argument(call, 0)),
                                access.asString(access.argument(call, 1)),
                                access.asString(access.argument(call, 2))),
                        ColumnType.STRING);
            }
            case "base64_decode_tostring", "base64_decodestring" -> {
                access.arity(call, 1, 1);
                yield new Call(
                        ScalarFunction.BASE64_DECODE_TO_STRING,
                        List.of(access.asString(access.argument(call, 0))),
                        ColumnType.STRING);
            }
            default -> new EncodingAndSetFunctions(access).bind(call).orElse(null);
        };
        return Optional.ofNullable(bound);
    }

    /** startofweek(date [, offset]) and friends (startofweek-function: weeks start on Sunday). */
    private ScalarExpression startOf(Expression.FunctionCall call, String period) {
        access.arity(call, 1, 2);
        return new Call(
                ScalarFunction.START_OF_PERIOD,
                List.of(Constant.ofString(period), datetime(call), offset(call, 0)),
                ColumnType.DATETIME);
    }

    /** endofweek(date [, offset]): the last tick before the next period starts (endofweek-function). */
    private ScalarExpression endOf(Expression.FunctionCall call, String period) {
        access.arity(call, 1, 2);
        ScalarExpression next = new Call(
                ScalarFunction.START_OF_PERIOD,
                List.of(Constant.ofString(period), datetime(call), offset(call, 1)),
                ColumnType.DATETIME);
        return new Call(
                ScalarFunction.SUBTRACT,
                List.of(next, new Constant(ColumnType.TIMESPAN, ONE_TICK)),
                ColumnType.DATETIME);
    }

    private ScalarExpression datetime(Expression.FunctionCall call) {
        return access.convert(access.argument(call, 0), ColumnType.DATETIME);
    }

    private ScalarExpression offset(Expression.FunctionCall call, long plus) {
        ScalarExpression offset = Constant.ofLong(0L);
        if (call.arguments().size() == 2) {
            offset = access.argument(call, 1);
            if (offset.type() != ColumnType.INT && offset.type() != ColumnType.LONG) {
                throw access.error(
                        DiagnosticCode.TYPE_MISMATCH,
                        call.arguments().get(1).span(),
                        "Expected an integer offset, got " + offset.type().kqlName());
            }
            offset = access.convert(offset, ColumnType.LONG);
        }
        if (plus == 0) {
            return offset;
        }
        return new Call(ScalarFunction.ADD, List.of(offset, Constant.ofLong(plus)), ColumnType.LONG);
    }

    /** format_datetime(date, format) with a constant format of the documented elements (format-datetime-function). */
    private ScalarExpression formatDatetime(Expression.FunctionCall call) {
        access.arity(call, 2, 2);
        String format = constantString(call, 1, "format");
        if (DatetimeFormat.parse(format).isEmpty()) {
            throw access.error(
                    DiagnosticCode.INVALID_VALUE, call.arguments().get(1).span(), "format_datetime format", format);
        }
        return new Call(
                ScalarFunction.FORMAT_DATETIME, List.of(datetime(call), Constant.ofString(format)), ColumnType.STRING);
    }

    /**
     * extract_all(regex, [captureGroups,] source) (extract-all-function): the regex is a constant with 1 to
     * 16 capture groups; captureGroups is a constant array of group numbers or names.
     */
    private ScalarExpression extractAll(Expression.FunctionCall call) {
        access.arity(call, 2, 3);
        String regex = constantString(call, 0, "regular expression");
        Pattern pattern;
        try {
            // Java spells RE2's (?P<name>...) as (?<name>...); it is used here only to count and name groups
            pattern = Pattern.compile(regex.replace("(?P<", "(?<"));
        } catch (PatternSyntaxException invalid) {
            throw access.error(
                    DiagnosticCode.INVALID_VALUE, call.arguments().get(0).span(), "regular expression", regex);
        }
        Matcher matcher = pattern.matcher("");
        int groupCount = matcher.groupCount();
        if (groupCount < 1 || groupCount > 16) {
            throw access.error(
                    DiagnosticCode.INVALID_VALUE,
                    call.arguments().get(0).span(),
                    "extract_all regular expression (1 to 16 capture groups)",
                    regex);
        }
        List<ScalarExpression> arguments = new ArrayList<>();
        arguments.add(access.asString(access.argument(call, call.arguments().size() - 1)));
        arguments.add(Constant.ofString(regex));
        if (call.arguments().size() == 3) {
            for (long group : groups(call.arguments().get(1), pattern.namedGroups(), groupCount)) {
                arguments.add(Constant.ofLong(group));
            }
        } else {
            for (long group = 1; group <= groupCount; group++) {
                arguments.add(Constant.ofLong(group));
            }
        }
        return new Call(ScalarFunction.EXTRACT_ALL, arguments, ColumnType.DYNAMIC);
    }

    private List<Long> groups(Expression argument, Map<String, Integer> names, int groupCount) {
        if (!(argument instanceof Expression.DynamicLiteral literal)
                || !(literal.value() instanceof Expression.DynamicArray array)
                || array.elements().isEmpty()) {
            throw access.error(DiagnosticCode.EXPECTED_CONSTANT, argument.span(), "array of capture groups");
        }
        List<Long> groups = new ArrayList<>();
        for (Expression element : array.elements()) {
            Long group = null;
            if (element instanceof Expression.Literal value) {
                if (value.kind() == LiteralKind.STRING && names.containsKey(value.value())) {
                    group = (long) names.get(value.value());
                } else if (value.kind() == LiteralKind.LONG || value.kind() == LiteralKind.INT) {
                    try {
                        group = Long.parseLong(value.value());
                    } catch (NumberFormatException notANumber) {
                        group = null;
                    }
                }
            }
            if (group == null || group < 1 || group > groupCount) {
                throw access.error(DiagnosticCode.INVALID_VALUE, element.span(), "capture group", element.toString());
            }
            groups.add(group);
        }
        return groups;
    }

    private String constantString(Expression.FunctionCall call, int index, String what) {
        ScalarExpression value = access.argument(call, index);
        if (value instanceof Constant constant && constant.value() instanceof String text) {
            return text;
        }
        throw access.error(
                DiagnosticCode.EXPECTED_CONSTANT, call.arguments().get(index).span(), what);
    }
}
