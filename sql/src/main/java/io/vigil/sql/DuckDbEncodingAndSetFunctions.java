package io.vigil.sql;

import io.vigil.plan.ScalarFunction;
import io.vigil.sql.SqlExpression.SqlBinary;
import io.vigil.sql.SqlExpression.SqlCall;
import io.vigil.sql.SqlExpression.SqlCase;
import io.vigil.sql.SqlExpression.SqlCast;
import io.vigil.sql.SqlExpression.SqlColumn;
import io.vigil.sql.SqlExpression.SqlLambda;
import io.vigil.sql.SqlExpression.SqlLiteral;
import io.vigil.sql.SqlExpression.SqlParameter;
import io.vigil.sql.SqlExpression.SqlUnary;
import io.vigil.sql.SqlExpression.SqlWhen;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DuckDB SQL for hashes and encodings, set operations on dynamic arrays, IPv4 helpers,
 * {@code datetime_add} and the Unix-time conversions. Each cites its page under
 * https://learn.microsoft.com/kusto/query/.
 */
final class DuckDbEncodingAndSetFunctions {
    /** datetime_add's periods as DuckDB intervals (datetime-add-function); the binder allows only these. */
    private static final Map<String, String> PERIOD_INTERVALS = Map.of(
            "year", "INTERVAL '1 year'",
            "quarter", "INTERVAL '3 months'",
            "month", "INTERVAL '1 month'",
            "week", "INTERVAL '7 days'",
            "day", "INTERVAL '1 day'",
            "hour", "INTERVAL '1 hour'",
            "minute", "INTERVAL '1 minute'",
            "second", "INTERVAL '1 second'",
            "millisecond", "INTERVAL '1 millisecond'",
            "microsecond", "INTERVAL '1 microsecond'");

    /** The private IPv4 ranges of RFC 1918 (ipv4-is-private-function). */
    private static final List<String> PRIVATE_RANGES = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");

    private DuckDbEncodingAndSetFunctions() {}

    static SqlExpression call(ScalarFunction function, List<SqlExpression> arguments) {
        return switch (function) {
            case HASH_XXHASH64_TEXT -> xxhash64(SqlCall.of("vigil_xxhash64_text", arguments.get(0)), arguments.get(1));
            case HASH_XXHASH64_LONG -> xxhash64(SqlCall.of("vigil_xxhash64_long", arguments.get(0)), arguments.get(1));
            case HASH_XXHASH64_DATETIME ->
                xxhash64(SqlCall.of("vigil_xxhash64_long", ticks(arguments.get(0))), arguments.get(1));
            case HASH_SHA1 -> SqlCall.of("sha1", arguments.get(0));
            case HASH_SHA256 -> SqlCall.of("sha256", arguments.get(0));
            case HASH_MD5 -> SqlCall.of("md5", arguments.get(0));
            case BASE64_ENCODE_TO_STRING -> SqlCall.of("to_base64", SqlCall.of("encode", arguments.get(0)));
            case REVERSE -> SqlCall.of("reverse", arguments.get(0));
            case URL_DECODE ->
                SqlCall.of(
                        "coalesce",
                        SqlCall.of("try", SqlCall.of("url_decode", arguments.get(0))),
                        SqlLiteral.ofString(""));
            case STRCAT_DELIM -> new SqlCall("concat_ws", arguments);
            case SET_DIFFERENCE -> setDifference(arguments);
            case SET_UNION -> setUnion(arguments);
            case SET_INTERSECT -> setIntersect(arguments);
            case IPV4_IS_PRIVATE ->
                anyRange(
                        arguments.get(0),
                        PRIVATE_RANGES.stream()
                                .map(range -> (SqlExpression) SqlLiteral.ofString(range))
                                .toList());
            case PARSE_IPV4 -> {
                SqlExpression prefix = DuckDbDialect.ipv4Prefix(arguments.get(0));
                SqlExpression shift = new SqlBinary("-", SqlLiteral.of(32L), prefix);
                yield new SqlBinary(
                        "<<", DuckDbDialect.masked(DuckDbDialect.ipv4Number(arguments.get(0)), prefix), shift);
            }
            case FORMAT_IPV4 -> formatIpv4(arguments.get(0), arguments.get(1), false);
            case FORMAT_IPV4_MASK -> formatIpv4(arguments.get(0), arguments.get(1), true);
            case RANDOM -> SqlCall.of("random");
            case INDEX_OF ->
                new SqlBinary("-", SqlCall.of("instr", arguments.get(0), arguments.get(1)), SqlLiteral.of(1L));
            case DATETIME_PART -> {
                String part = (String) ((SqlParameter) arguments.get(0)).value();
                String duckdbFunction = switch (part) {
                    case "year", "month", "day", "hour", "dayofyear" -> part;
                    case "week" -> "weekofyear";
                    default -> throw new IllegalArgumentException("unknown datetime part " + part);
                };
                yield new SqlCast(SqlCall.of(duckdbFunction, arguments.get(1)), "INTEGER", false);
            }
            // DuckDB numbers the days of the week from Sunday = 0, as KQL's dayofweek counts them
            case DAY_OF_WEEK ->
                SqlCall.of("to_days", new SqlCast(SqlCall.of("dayofweek", arguments.get(0)), "INTEGER", false));
            case DATETIME_ADD -> {
                String period = (String) ((SqlParameter) arguments.get(0)).value();
                SqlExpression step = new SqlLiteral(PERIOD_INTERVALS.get(period));
                yield new SqlBinary(
                        "+",
                        arguments.get(2),
                        new SqlBinary("*", new SqlCast(arguments.get(1), "BIGINT", false), step));
            }
            case UNIX_TIME_TO_DATETIME ->
                SqlCall.of(
                        "make_timestamp",
                        new SqlCast(
                                SqlCall.of("round", new SqlBinary("*", arguments.get(0), arguments.get(1))),
                                "BIGINT",
                                true));
            default -> throw new IllegalArgumentException("not one of these functions: " + function);
        };
    }

    /** .NET ticks (100 ns since 0001-01-01) of a timestamp, which keeps microseconds. */
    private static SqlExpression ticks(SqlExpression timestamp) {
        return new SqlBinary(
                "+",
                new SqlBinary("*", SqlCall.of("epoch_us", timestamp), SqlLiteral.of(10L)),
                SqlLiteral.of(621_355_968_000_000_000L));
    }

    /**
     * The UDF's unsigned hash (decimal text) as Kusto's signed long, or its unsigned remainder by mod when mod is
     * not null (the page: "between 0 and mod - 1"); a mod of 0 or less gives null.
     */
    private static SqlExpression xxhash64(SqlExpression unsignedText, SqlExpression mod) {
        SqlExpression unsigned = new SqlCast(unsignedText, "HUGEINT", false);
        SqlExpression signed = new SqlCast(
                new SqlCase(
                        List.of(new SqlWhen(
                                new SqlBinary(
                                        ">=",
                                        unsigned,
                                        new SqlCast(SqlLiteral.ofString("9223372036854775808"), "HUGEINT", false)),
                                new SqlBinary(
                                        "-",
                                        unsigned,
                                        new SqlCast(SqlLiteral.ofString("18446744073709551616"), "HUGEINT", false)))),
                        Optional.of(unsigned)),
                "BIGINT",
                false);
        return new SqlCase(
                List.of(
                        new SqlWhen(new SqlUnary("IS NULL", mod, true), signed),
                        new SqlWhen(
                                new SqlBinary(">", mod, SqlLiteral.of(0L)),
                                new SqlCast(new SqlBinary("%", unsigned, mod), "BIGINT", false))),
                Optional.empty());
    }

    /**
     * format_ipv4(ip, prefix) / format_ipv4_mask: the address masked by the smaller of its own /prefix and the
     * argument, dotted (and with that prefix appended); "" when the address does not parse or the prefix is not 0
     * to 32 (format-ipv4-mask-function).
     */
    private static SqlExpression formatIpv4(SqlExpression text, SqlExpression prefix, boolean withMask) {
        // DuckDB's least skips nulls, so the prefix's range is checked around it
        SqlExpression bits = new SqlCase(
                List.of(new SqlWhen(
                        new SqlBinary(
                                "AND",
                                new SqlBinary(">=", prefix, SqlLiteral.of(0L)),
                                new SqlBinary("<=", prefix, SqlLiteral.of(32L))),
                        SqlCall.of("least", DuckDbDialect.ipv4Prefix(text), prefix))),
                Optional.empty());
        SqlExpression number = new SqlBinary(
                "<<",
                DuckDbDialect.masked(DuckDbDialect.ipv4Number(text), bits),
                new SqlBinary("-", SqlLiteral.of(32L), bits));
        List<SqlExpression> octets = new ArrayList<>();
        for (int shift = 24; shift >= 0; shift -= 8) {
            octets.add(
                    new SqlBinary("&", new SqlBinary(">>", number, SqlLiteral.of((long) shift)), SqlLiteral.of(255L)));
        }
        SqlExpression dotted = new SqlCall(
                "concat",
                List.of(
                        octets.get(0),
                        SqlLiteral.ofString("."),
                        octets.get(1),
                        SqlLiteral.ofString("."),
                        octets.get(2),
                        SqlLiteral.ofString("."),
                        octets.get(3)));
        SqlExpression result = dotted;
        if (withMask) {
            result = new SqlCall("concat", List.of(dotted, SqlLiteral.ofString("/"), bits));
        }
        // concat skips nulls, so an unparsed address is caught before it
        return new SqlCase(
                List.of(new SqlWhen(new SqlUnary("IS NULL", number, true), SqlLiteral.ofString(""))),
                Optional.of(result));
    }

    /** The elements of a dynamic array as a list of JSON values; anything else as the empty list. */
    private static SqlExpression elements(SqlExpression array) {
        return SqlCall.of(
                "coalesce",
                new SqlCast(SqlCall.of("json_extract", array, SqlLiteral.ofString("$[*]")), "JSON[]", true),
                new SqlCast(SqlLiteral.ofString("[]"), "JSON[]", false));
    }

    private static SqlExpression element() {
        return new SqlColumn(Optional.empty(), "e");
    }

    private static SqlExpression allOf(List<SqlExpression> arrays) {
        SqlExpression all = elements(arrays.get(0));
        for (SqlExpression array : arrays.subList(1, arrays.size())) {
            all = SqlCall.of("list_concat", all, elements(array));
        }
        return all;
    }

    /** set_difference: distinct values of the first array in none of the others (set-difference-function). */
    private static SqlExpression setDifference(List<SqlExpression> arrays) {
        SqlExpression others = allOf(arrays.subList(1, arrays.size()));
        SqlExpression kept = SqlCall.of(
                "list_filter",
                elements(arrays.get(0)),
                new SqlLambda("e", new SqlUnary("NOT", SqlCall.of("list_contains", others, element()), false)));
        return SqlCall.of("to_json", distinctInOrder(kept));
    }

    /**
     * The first occurrence of each value, in the list's order: set_union(a1, a2, a3) of [1,2,1,4], [1,2], [8] is
     * [1,2,4,8] (set-union-function), where DuckDB's list_distinct promises no order.
     */
    private static SqlExpression distinctInOrder(SqlExpression list) {
        SqlExpression first = new SqlBinary(
                "=",
                SqlCall.of("list_position", list, new SqlColumn(Optional.empty(), "candidate")),
                new SqlColumn(Optional.empty(), "position"));
        return SqlCall.of("list_filter", list, new SqlLambda(List.of("candidate", "position"), first));
    }

    /** set_union: distinct values of all the arrays (set-union-function). */
    private static SqlExpression setUnion(List<SqlExpression> arrays) {
        return SqlCall.of("to_json", distinctInOrder(allOf(arrays)));
    }

    /** set_intersect: distinct values in every array (set-intersect-function). */
    private static SqlExpression setIntersect(List<SqlExpression> arrays) {
        SqlExpression inAll = null;
        for (SqlExpression array : arrays.subList(1, arrays.size())) {
            SqlExpression contained = SqlCall.of("list_contains", elements(array), element());
            inAll = inAll == null ? contained : new SqlBinary("AND", inAll, contained);
        }
        SqlExpression kept =
                SqlCall.of("list_filter", distinctInOrder(elements(arrays.get(0))), new SqlLambda("e", inAll));
        return SqlCall.of("to_json", kept);
    }

    /**
     * ipv4_is_in_any_range(address, range, ...) or (address, dynamic array of ranges); an empty array matches
     * nothing (ipv4-is-in-any-range-function).
     */
    static SqlExpression ipv4IsInAnyRange(List<SqlExpression> arguments, boolean rangeArray) {
        if (!rangeArray) {
            return anyRange(arguments.get(0), arguments.subList(1, arguments.size()));
        }
        SqlExpression ranges = new SqlCast(
                SqlCall.of("json_extract_string", arguments.get(1), SqlLiteral.ofString("$[*]")), "VARCHAR[]", false);
        SqlExpression matches = SqlCall.of(
                "list_transform",
                ranges,
                new SqlLambda(
                        "ip_range",
                        DuckDbDialect.ipv4InRange(arguments.get(0), new SqlColumn(Optional.empty(), "ip_range"))));
        return SqlCall.of("coalesce", SqlCall.of("list_bool_or", matches), SqlLiteral.of(false));
    }

    private static SqlExpression anyRange(SqlExpression address, List<SqlExpression> ranges) {
        SqlExpression any = null;
        for (SqlExpression range : ranges) {
            SqlExpression in = DuckDbDialect.ipv4InRange(address, range);
            any = any == null ? in : new SqlBinary("OR", any, in);
        }
        return any;
    }
}
