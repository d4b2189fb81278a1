package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Hashes and encodings, set operations on dynamic arrays, IPv4 helpers, {@code indexof}, datetime parts,
 * {@code datetime_add} and the Unix-time conversions. Each cites its page under https://learn.microsoft.com/kusto/query/.
 */
final class EncodingAndSetFunctions {
    /** datetime_add's periods (datetime-add-function). */
    private static final Set<String> PERIODS =
            Set.of("year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond", "microsecond");

    private final BindAccess access;

    EncodingAndSetFunctions(BindAccess access) {
        this.access = requireNonNull(access, "access is null");
    }

    /** The bound call, or empty when the name is not one of these functions. */
    Optional<ScalarExpression> bind(Expression.FunctionCall call) {
        ScalarExpression bound = switch (call.name()) {
            case "hash", "hash_xxhash64" -> hash(call);
            case "hash_sha1" -> stringFunction(call, ScalarFunction.HASH_SHA1);
            case "hash_sha256" -> stringFunction(call, ScalarFunction.HASH_SHA256);
            case "hash_md5" -> stringFunction(call, ScalarFunction.HASH_MD5);
            case "base64_encode_tostring", "base64_encodestring" ->
                stringFunction(call, ScalarFunction.BASE64_ENCODE_TO_STRING);
            case "reverse" -> stringFunction(call, ScalarFunction.REVERSE);
            case "url_decode" -> stringFunction(call, ScalarFunction.URL_DECODE);
            case "strcat_delim" -> strcatDelim(call);
            case "set_difference" -> sets(call, ScalarFunction.SET_DIFFERENCE);
            case "set_union" -> sets(call, ScalarFunction.SET_UNION);
            case "set_intersect" -> sets(call, ScalarFunction.SET_INTERSECT);
            case "ipv4_is_private" -> {
                access.arity(call, 1, 1);
                yield new Call(ScalarFunction.IPV4_IS_PRIVATE, List.of(string(call, 0)), ColumnType.BOOL);
            }
            case "ipv4_is_in_any_range" -> {
                access.arity(call, 2, Integer.MAX_VALUE);
                List<ScalarExpression> arguments = new ArrayList<>();
                arguments.add(string(call, 0));
                ScalarExpression second = access.argument(call, 1);
                if (call.arguments().size() == 2 && second.type() == ColumnType.DYNAMIC) {
                    // the ranges as one dynamic array (ipv4-is-in-any-range-function:
                    // "ipv4_is_in_any_range(Ipv4Address,
                    // Ipv4Range_Array)"); a dynamic argument stays dynamic for the renderer to expand
                    yield new Call(
                            ScalarFunction.IPV4_IS_IN_ANY_RANGE, List.of(arguments.get(0), second), ColumnType.BOOL);
                }
                for (int index = 1; index < call.arguments().size(); index++) {
                    arguments.add(string(call, index));
                }
                yield new Call(ScalarFunction.IPV4_IS_IN_ANY_RANGE, arguments, ColumnType.BOOL);
            }
            case "format_ipv4", "format_ipv4_mask" -> {
                access.arity(call, 1, 2);
                ScalarExpression prefix = Constant.ofLong(32L);
                if (call.arguments().size() > 1) {
                    prefix = access.convert(access.argument(call, 1), ColumnType.LONG);
                }
                ScalarFunction function = call.name().equals("format_ipv4")
                        ? ScalarFunction.FORMAT_IPV4
                        : ScalarFunction.FORMAT_IPV4_MASK;
                yield new Call(function, List.of(string(call, 0), prefix), ColumnType.STRING);
            }
            case "parse_ipv4" -> {
                access.arity(call, 1, 1);
                yield new Call(ScalarFunction.PARSE_IPV4, List.of(string(call, 0)), ColumnType.LONG);
            }
            case "rand" -> {
                // rand() only: the bounded forms rand(N) are not bound (rand-function)
                access.arity(call, 0, 0);
                yield new Call(ScalarFunction.RANDOM, List.of(), ColumnType.REAL);
            }
            case "indexof" -> {
                // the optional start, length and occurrence arguments are not bound
                access.arity(call, 2, 2);
                yield new Call(ScalarFunction.INDEX_OF, List.of(string(call, 0), string(call, 1)), ColumnType.LONG);
            }
            case "hourofday" -> datetimePart(call, "hour");
            case "dayofmonth" -> datetimePart(call, "day");
            case "dayofyear" -> datetimePart(call, "dayofyear");
            case "monthofyear", "getmonth" -> datetimePart(call, "month");
            case "getyear" -> datetimePart(call, "year");
            case "week_of_year" -> datetimePart(call, "week");
            case "dayofweek" -> {
                access.arity(call, 1, 1);
                yield new Call(
                        ScalarFunction.DAY_OF_WEEK,
                        List.of(access.convert(access.argument(call, 0), ColumnType.DATETIME)),
                        ColumnType.TIMESPAN);
            }
            case "datetime_add" -> datetimeAdd(call);
            case "unixtime_seconds_todatetime" -> unixTime(call, 1_000_000L);
            case "unixtime_milliseconds_todatetime" -> unixTime(call, 1_000L);
            case "unixtime_microseconds_todatetime" -> unixTime(call, 1L);
            default -> null;
        };
        return Optional.ofNullable(bound);
    }

    private ScalarExpression string(Expression.FunctionCall call, int index) {
        return access.asString(access.argument(call, index));
    }

    private ScalarExpression stringFunction(Expression.FunctionCall call, ScalarFunction function) {
        access.arity(call, 1, 1);
        return new Call(function, List.of(string(call, 0)), ColumnType.STRING);
    }

    /** strcat_delim(delimiter, a, b, ...): 2 to 64 values converted to text (strcat-delim-function). */
    private ScalarExpression strcatDelim(Expression.FunctionCall call) {
        access.arity(call, 3, 65);
        List<ScalarExpression> arguments = new ArrayList<>();
        for (int index = 0; index < call.arguments().size(); index++) {
            arguments.add(string(call, index));
        }
        return new Call(ScalarFunction.STRCAT_DELIM, arguments, ColumnType.STRING);
    }

    /** set_difference/set_union/set_intersect over two or more dynamic arrays (set-difference-function). */
    private ScalarExpression sets(Expression.FunctionCall call, ScalarFunction function) {
        access.arity(call, 2, 64);
        List<ScalarExpression> arguments = new ArrayList<>();
        for (int index = 0; index < call.arguments().size(); index++) {
            arguments.add(access.convert(access.argument(call, index), ColumnType.DYNAMIC));
        }
        return new Call(function, arguments, ColumnType.DYNAMIC);
    }

    /** hourofday, dayofmonth, ...: one calendar field of a datetime as an int (hourofday-function, ...). */
    private ScalarExpression datetimePart(Expression.FunctionCall call, String part) {
        access.arity(call, 1, 1);
        return new Call(
                ScalarFunction.DATETIME_PART,
                List.of(Constant.ofString(part), access.convert(access.argument(call, 0), ColumnType.DATETIME)),
                ColumnType.INT);
    }

    /**
     * hash(source [, mod]) and hash_xxhash64 are xxHash64 (hash-function, hash-xxhash64-function). The page's examples pin the input bytes down for strings
     * (UTF-8) and datetimes (the 8 little-endian bytes of .NET ticks); a long is taken as those 8 bytes too. For
     * other types the bytes Kusto hashes are not documented, so they are refused rather than answered differently.
     */
    private ScalarExpression hash(Expression.FunctionCall call) {
        access.arity(call, 1, 2);
        ScalarExpression source = access.argument(call, 0);
        ScalarExpression mod = new Constant(ColumnType.LONG, null);
        if (call.arguments().size() > 1) {
            mod = access.convert(access.argument(call, 1), ColumnType.LONG);
            if (mod instanceof Constant constant && constant.value() instanceof Long value && value <= 0) {
                throw access.error(
                        DiagnosticCode.INVALID_VALUE, call.arguments().get(1).span(), "hash mod", value.toString());
            }
        }
        return switch (source.type()) {
            case STRING -> new Call(ScalarFunction.HASH_XXHASH64_TEXT, List.of(source, mod), ColumnType.LONG);
            case LONG -> new Call(ScalarFunction.HASH_XXHASH64_LONG, List.of(source, mod), ColumnType.LONG);
            case DATETIME -> new Call(ScalarFunction.HASH_XXHASH64_DATETIME, List.of(source, mod), ColumnType.LONG);
            default ->
                throw access.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE,
                        call.arguments().get(0).span(),
                        "hash() of a " + source.type().kqlName()
                                + " value (the bytes Kusto hashes are documented only for string and datetime)");
        };
    }

    /** datetime_add(period, amount, datetime), the period a constant (datetime-add-function). */
    private ScalarExpression datetimeAdd(Expression.FunctionCall call) {
        access.arity(call, 3, 3);
        ScalarExpression period = access.argument(call, 0);
        if (!(period instanceof Constant constant)
                || !(constant.value() instanceof String name)
                || !PERIODS.contains(name.toLowerCase(Locale.ROOT))) {
            throw access.error(
                    DiagnosticCode.INVALID_VALUE,
                    call.arguments().get(0).span(),
                    "datetime_add period",
                    String.valueOf(period instanceof Constant c ? c.value() : "a non-constant"));
        }
        ScalarExpression amount = access.argument(call, 1);
        if (amount.type() != ColumnType.INT && amount.type() != ColumnType.LONG) {
            amount = access.convert(amount, ColumnType.LONG);
        }
        return new Call(
                ScalarFunction.DATETIME_ADD,
                List.of(
                        Constant.ofString(name.toLowerCase(Locale.ROOT)),
                        amount,
                        access.convert(access.argument(call, 2), ColumnType.DATETIME)),
                ColumnType.DATETIME);
    }

    /** unixtime_*_todatetime: a number of units since 1970-01-01 (unixtime-seconds-todatetime-function). */
    private ScalarExpression unixTime(Expression.FunctionCall call, long microsPerUnit) {
        access.arity(call, 1, 1);
        return new Call(
                ScalarFunction.UNIX_TIME_TO_DATETIME,
                List.of(access.convert(access.argument(call, 0), ColumnType.REAL), Constant.ofLong(microsPerUnit)),
                ColumnType.DATETIME);
    }
}
