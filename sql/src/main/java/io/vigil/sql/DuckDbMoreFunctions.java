package io.vigil.sql;

import io.vigil.plan.DatetimeFormat;
import io.vigil.plan.ScalarFunction;
import io.vigil.sql.SqlExpression.SqlAggregate;
import io.vigil.sql.SqlExpression.SqlBinary;
import io.vigil.sql.SqlExpression.SqlCall;
import io.vigil.sql.SqlExpression.SqlCase;
import io.vigil.sql.SqlExpression.SqlCast;
import io.vigil.sql.SqlExpression.SqlColumn;
import io.vigil.sql.SqlExpression.SqlLambda;
import io.vigil.sql.SqlExpression.SqlLiteral;
import io.vigil.sql.SqlExpression.SqlParameter;
import io.vigil.sql.SqlExpression.SqlWhen;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DuckDB SQL for the functions kept out of {@link DuckDbDialect}'s main switch: case-sensitive term
 * prefixes and suffixes, calendar periods, {@code format_datetime}, {@code extract_all},
 * {@code strcat_array}, {@code array_index_of} and the nearest-rank percentile. Each cites its page under
 * https://learn.microsoft.com/kusto/query/.
 */
final class DuckDbMoreFunctions {
    private DuckDbMoreFunctions() {}

    static SqlExpression call(ScalarFunction function, List<SqlExpression> arguments) {
        return switch (function) {
            case HAS_PREFIX_CS -> DuckDbDialect.terms(arguments.get(0), List.of(arguments.get(1)), false, true, false);
            case HAS_SUFFIX_CS -> DuckDbDialect.terms(arguments.get(0), List.of(arguments.get(1)), false, false, true);
            case START_OF_PERIOD -> startOfPeriod(arguments.get(0), arguments.get(1), arguments.get(2));
            case FORMAT_DATETIME -> formatDatetime(arguments.get(0), arguments.get(1));
            case EXTRACT_ALL -> extractAll(arguments);
            case STRCAT_ARRAY ->
                SqlCall.of(
                        "coalesce",
                        SqlCall.of(
                                "array_to_string",
                                SqlCall.of("json_extract_string", arguments.get(0), SqlLiteral.ofString("$[*]")),
                                arguments.get(1)),
                        SqlLiteral.ofString(""));
            case ARRAY_INDEX_OF -> arrayIndexOf(arguments.get(0), arguments.get(1));
            case TRANSLATE -> translate(arguments.get(0), arguments.get(1), arguments.get(2));
            case BASE64_DECODE_TO_STRING ->
                SqlCall.of(
                        "coalesce",
                        SqlCall.of("try", SqlCall.of("decode", SqlCall.of("from_base64", arguments.get(0)))),
                        SqlLiteral.ofString(""));
            default -> throw new IllegalArgumentException("not one of these functions: " + function);
        };
    }

    /**
     * startofday/week/month/year (startofweek-function: weeks start on Sunday); the offset counts periods.
     * The period name is a constant the binder chooses.
     */
    private static SqlExpression startOfPeriod(SqlExpression period, SqlExpression value, SqlExpression offset) {
        String name = (String) ((SqlParameter) period).value();
        SqlExpression count = new SqlCast(offset, "INTEGER", false);
        return switch (name) {
            case "day" ->
                new SqlBinary(
                        "+", SqlCall.of("date_trunc", SqlLiteral.ofString("day"), value), SqlCall.of("to_days", count));
            case "week" -> {
                SqlExpression oneDay = new SqlLiteral("INTERVAL '1 day'");
                SqlExpression sunday = new SqlBinary(
                        "-",
                        SqlCall.of("date_trunc", SqlLiteral.ofString("week"), new SqlBinary("+", value, oneDay)),
                        oneDay);
                yield new SqlBinary("+", sunday, SqlCall.of("to_days", new SqlBinary("*", count, SqlLiteral.of(7L))));
            }
            case "month" ->
                new SqlBinary(
                        "+",
                        SqlCall.of("date_trunc", SqlLiteral.ofString("month"), value),
                        SqlCall.of("to_months", count));
            case "year" ->
                new SqlBinary(
                        "+",
                        SqlCall.of("date_trunc", SqlLiteral.ofString("year"), value),
                        SqlCall.of("to_years", count));
            default -> throw new IllegalArgumentException("unknown period " + name);
        };
    }

    /** format_datetime with a constant format (format-datetime-function); a null datetime gives "". */
    private static SqlExpression formatDatetime(SqlExpression value, SqlExpression format) {
        String text = (String) ((SqlParameter) format).value();
        List<DatetimeFormat.Element> elements =
                DatetimeFormat.parse(text).orElseThrow(() -> new IllegalArgumentException("invalid datetime format"));
        List<SqlExpression> parts = new ArrayList<>();
        for (DatetimeFormat.Element element : elements) {
            parts.add(formatElement(value, element));
        }
        if (parts.isEmpty()) {
            parts.add(SqlLiteral.ofString(""));
        }
        return new SqlCase(
                List.of(new SqlWhen(new SqlExpression.SqlUnary("IS NULL", value, true), SqlLiteral.ofString(""))),
                Optional.of(new SqlCall("concat", parts)));
    }

    private static SqlExpression formatElement(SqlExpression value, DatetimeFormat.Element element) {
        if (element.isLiteral()) {
            return new SqlParameter(element.literal());
        }
        int count = element.count();
        return switch (element.letter()) {
            case 'd' -> padded(SqlCall.of("day", value), count);
            case 'M' -> padded(SqlCall.of("month", value), count);
            case 'H' -> padded(SqlCall.of("hour", value), count);
            case 'h' ->
                padded(
                        new SqlBinary(
                                "+",
                                new SqlBinary(
                                        "%",
                                        new SqlBinary("+", SqlCall.of("hour", value), SqlLiteral.of(11L)),
                                        SqlLiteral.of(12L)),
                                SqlLiteral.of(1L)),
                        count);
            case 'm' -> padded(SqlCall.of("minute", value), count);
            case 's' -> padded(SqlCall.of("second", value), count);
            case 'y' -> {
                if (count <= 2) {
                    yield padded(new SqlBinary("%", SqlCall.of("year", value), SqlLiteral.of(100L)), count);
                }
                yield padded(SqlCall.of("year", value), count);
            }
            case 't' -> {
                SqlExpression marker = SqlCall.of("strftime", value, SqlLiteral.ofString("%p"));
                if (count == 1) {
                    yield SqlCall.of("left", marker, SqlLiteral.of(1L));
                }
                yield marker;
            }
            case 'f', 'F' -> {
                // seven digits (ticks); timestamps here keep microseconds, so the last digit is 0
                SqlExpression digits = SqlCall.of(
                        "left",
                        SqlCall.of(
                                "concat",
                                SqlCall.of("strftime", value, SqlLiteral.ofString("%f")),
                                SqlLiteral.ofString("0")),
                        SqlLiteral.of(count));
                if (element.letter() == 'F') {
                    yield SqlCall.of("rtrim", digits, SqlLiteral.ofString("0"));
                }
                yield digits;
            }
            default -> throw new IllegalArgumentException("unknown format letter " + element.letter());
        };
    }

    /** The number as text, left-padded with zeros to {@code width} digits. */
    private static SqlExpression padded(SqlExpression number, int width) {
        SqlExpression text = new SqlCast(number, "VARCHAR", false);
        if (width <= 1) {
            return text;
        }
        return SqlCall.of("lpad", text, SqlLiteral.of((long) width), SqlLiteral.ofString("0"));
    }

    /**
     * extract_all(regex, [groups,] text) (extract-all-function): one group gives the array of its
     * matches, several an array of one array per match; no match gives null. The arguments here are the
     * text, the pattern and the constant group numbers.
     */
    private static SqlExpression extractAll(List<SqlExpression> arguments) {
        SqlExpression text = arguments.get(0);
        SqlExpression pattern = arguments.get(1);
        List<SqlExpression> lists = new ArrayList<>();
        for (SqlExpression group : arguments.subList(2, arguments.size())) {
            lists.add(SqlCall.of("regexp_extract_all", text, pattern, group));
        }
        SqlExpression result;
        if (lists.size() == 1) {
            result = lists.get(0);
        } else {
            // every group's list has one entry per match, in match order
            SqlColumn match = new SqlColumn(Optional.empty(), "match_index");
            List<SqlExpression> row = new ArrayList<>();
            for (SqlExpression list : lists) {
                row.add(SqlCall.of("list_extract", list, match));
            }
            result = SqlCall.of(
                    "list_transform",
                    SqlCall.of(
                            "range",
                            SqlLiteral.of(1L),
                            new SqlBinary("+", SqlCall.of("len", lists.get(0)), SqlLiteral.of(1L))),
                    new SqlLambda("match_index", new SqlCall("list_value", row)));
        }
        return new SqlCase(
                List.of(new SqlWhen(
                        new SqlBinary("=", SqlCall.of("len", lists.get(0)), SqlLiteral.of(0L)), SqlLiteral.NULL)),
                Optional.of(SqlCall.of("to_json", result)));
    }

    /**
     * translate(search, replacement, text) (translate-function): DuckDB deletes the characters past the end
     * of the replacement list; KQL repeats its last character, so the list is padded with it first.
     */
    private static SqlExpression translate(SqlExpression search, SqlExpression replacement, SqlExpression text) {
        SqlExpression padded = SqlCall.of(
                "concat",
                replacement,
                SqlCall.of(
                        "repeat",
                        SqlCall.of("right", replacement, SqlLiteral.of(1L)),
                        SqlCall.of(
                                "greatest",
                                new SqlBinary("-", SqlCall.of("length", search), SqlCall.of("length", replacement)),
                                SqlLiteral.of(0L))));
        return SqlCall.of("translate", text, search, padded);
    }

    /** array_index_of(array, value) (array-index-of-function): elements compare as JSON text. */
    private static SqlExpression arrayIndexOf(SqlExpression array, SqlExpression value) {
        SqlExpression position = SqlCall.of(
                "list_position",
                SqlCall.of("json_extract", array, SqlLiteral.ofString("$[*]")),
                SqlCall.of("to_json", value));
        return new SqlCase(
                List.of(new SqlWhen(
                        new SqlBinary("=", SqlCall.of("json_type", array), SqlLiteral.ofString("ARRAY")),
                        SqlCall.of(
                                "coalesce",
                                new SqlCast(new SqlBinary("-", position, SqlLiteral.of(1L)), "BIGINT", false),
                                SqlLiteral.of(-1L)))),
                Optional.empty());
    }

    /**
     * Nearest-rank percentile (percentiles-aggregation-function): the value at rank ceil(p/100 * n) of the
     * n sorted non-null values, at least the first.
     */
    static SqlExpression percentile(SqlExpression value, SqlExpression percent) {
        SqlExpression values = new SqlAggregate(
                "list", false, List.of(value), Optional.of(new SqlExpression.SqlUnary("IS NOT NULL", value, true)));
        SqlExpression rank = SqlCall.of(
                "greatest",
                SqlLiteral.of(1L),
                new SqlCast(
                        SqlCall.of(
                                "ceil",
                                new SqlBinary(
                                        "/",
                                        new SqlBinary(
                                                "*", new SqlCast(percent, "DOUBLE", false), SqlCall.of("len", values)),
                                        SqlLiteral.of(100.0))),
                        "BIGINT",
                        false));
        return SqlCall.of("list_extract", SqlCall.of("list_sort", values), rank);
    }
}
