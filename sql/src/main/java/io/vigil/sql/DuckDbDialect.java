package io.vigil.sql;

import io.vigil.plan.AggregateFunction;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import io.vigil.sql.SqlExpression.SqlAggregate;
import io.vigil.sql.SqlExpression.SqlBinary;
import io.vigil.sql.SqlExpression.SqlCall;
import io.vigil.sql.SqlExpression.SqlCase;
import io.vigil.sql.SqlExpression.SqlCast;
import io.vigil.sql.SqlExpression.SqlColumn;
import io.vigil.sql.SqlExpression.SqlInList;
import io.vigil.sql.SqlExpression.SqlLiteral;
import io.vigil.sql.SqlExpression.SqlParameter;
import io.vigil.sql.SqlExpression.SqlUnary;
import io.vigil.sql.SqlExpression.SqlWhen;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * DuckDB: datetimes are UTC {@code TIMESTAMP}s, timespans {@code INTERVAL}s, dynamic is {@code JSON},
 * and {@code regexp_matches} is RE2 like KQL's regular expressions. The query connection runs with
 * {@code TimeZone = 'UTC'}. Every KQL quirk handled here cites its page under
 * https://learn.microsoft.com/kusto/query/.
 */
public final class DuckDbDialect implements SqlDialect {
    public static final DuckDbDialect INSTANCE = new DuckDbDialect();

    /** A term boundary: KQL terms are maximal runs of alphanumerics (datatypes-string-operators#what-is-a-term). */
    private static final String TERM_BOUNDARY = "[^\\p{L}\\p{N}]";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DuckDbDialect() {}

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public boolean supportsDistinctOn() {
        return true;
    }

    @Override
    public boolean supportsSemiAndAntiJoin() {
        return true;
    }

    /** DuckDB stores a {@code MATERIALIZED} common table once and scans it at every reference. */
    @Override
    public boolean supportsMaterializedCommonTables() {
        return true;
    }

    @Override
    public String typeName(ColumnType type) {
        return DuckDbSchema.typeName(type);
    }

    @Override
    public String quoteIdentifier(String name) {
        return DuckDbSchema.quoteIdentifier(name);
    }

    @Override
    public SqlExpression constant(ColumnType type, Object value) {
        if (value == null) {
            return new SqlCast(SqlLiteral.NULL, typeName(type), false);
        }
        return switch (type) {
            case STRING, GUID -> new SqlParameter(value);
            case DYNAMIC -> new SqlCast(new SqlParameter(value), "JSON", false);
            case INT -> new SqlCast(SqlLiteral.of(((Integer) value).longValue()), "INTEGER", false);
            case LONG -> SqlLiteral.of((Long) value);
            case REAL -> SqlLiteral.of((Double) value);
            case BOOL -> SqlLiteral.of((Boolean) value);
            case DATETIME -> new SqlLiteral("TIMESTAMP '" + TIMESTAMP.format((Instant) value) + "'");
            case TIMESPAN -> interval((Duration) value);
        };
    }

    private static SqlExpression interval(Duration duration) {
        // DuckDB intervals hold microseconds; KQL's 100 ns ticks below that are dropped
        long micros = duration.getSeconds() * 1_000_000L + duration.getNano() / 1_000;
        if (micros % 1_000_000L == 0) {
            return new SqlLiteral("INTERVAL '" + micros / 1_000_000L + " seconds'");
        }
        return new SqlLiteral("INTERVAL '" + micros + " microseconds'");
    }

    /** KQL strings are never null; missing stored strings read as empty (scalar-data-types/string). */
    @Override
    public SqlExpression readColumn(SqlExpression column, ColumnType type) {
        if (type == ColumnType.STRING) {
            return SqlCall.of("coalesce", column, SqlLiteral.ofString(""));
        }
        return column;
    }

    @Override
    public SqlExpression call(
            ScalarFunction function, List<SqlExpression> arguments, List<ColumnType> types, ColumnType resultType) {
        return switch (function) {
            case AND -> chain("AND", arguments);
            case OR -> chain("OR", arguments);
            case NOT -> new SqlUnary("NOT", arguments.get(0), false);
            case EQUAL -> equality(arguments, types, false);
            case NOT_EQUAL -> equality(arguments, types, true);
            case KEY_EQUAL -> binary("=", arguments);
            case LESS -> binary("<", arguments);
            case LESS_EQUAL -> binary("<=", arguments);
            case GREATER -> binary(">", arguments);
            case GREATER_EQUAL -> binary(">=", arguments);
            case ADD -> binary("+", arguments);
            case SUBTRACT -> binary("-", arguments);
            case MULTIPLY -> binary("*", arguments);
            case DIVIDE -> divide(arguments, types, resultType);
            case MODULO -> modulo(arguments);
            case NEGATE -> new SqlUnary("-", arguments.get(0), false);
            case IS_NULL -> isNull(arguments.get(0), types.get(0));
            case IS_EMPTY -> isEmpty(arguments.get(0), types.get(0));
            case EQUAL_IGNORE_CASE -> new SqlBinary("=", lower(arguments.get(0)), lower(arguments.get(1)));
            case HAS -> terms(arguments.get(0), List.of(arguments.get(1)), true, true, true);
            case HAS_CS -> terms(arguments.get(0), List.of(arguments.get(1)), false, true, true);
            case HAS_PREFIX -> terms(arguments.get(0), List.of(arguments.get(1)), true, true, false);
            case HAS_SUFFIX -> terms(arguments.get(0), List.of(arguments.get(1)), true, false, true);
            case HAS_PREFIX_CS,
                    HAS_SUFFIX_CS,
                    START_OF_PERIOD,
                    FORMAT_DATETIME,
                    EXTRACT_ALL,
                    STRCAT_ARRAY,
                    ARRAY_INDEX_OF,
                    TRANSLATE,
                    BASE64_DECODE_TO_STRING -> DuckDbMoreFunctions.call(function, arguments);
            case HASH_XXHASH64_TEXT,
                    HASH_XXHASH64_LONG,
                    HASH_XXHASH64_DATETIME,
                    HASH_SHA1,
                    HASH_SHA256,
                    HASH_MD5,
                    BASE64_ENCODE_TO_STRING,
                    REVERSE,
                    URL_DECODE,
                    STRCAT_DELIM,
                    SET_DIFFERENCE,
                    SET_UNION,
                    SET_INTERSECT,
                    IPV4_IS_PRIVATE,
                    PARSE_IPV4,
                    FORMAT_IPV4,
                    FORMAT_IPV4_MASK,
                    RANDOM,
                    INDEX_OF,
                    DATETIME_PART,
                    DAY_OF_WEEK,
                    DATETIME_ADD,
                    UNIX_TIME_TO_DATETIME -> DuckDbEncodingAndSetFunctions.call(function, arguments);
            case IPV4_IS_IN_ANY_RANGE ->
                DuckDbEncodingAndSetFunctions.ipv4IsInAnyRange(
                        arguments, types.get(types.size() - 1) == ColumnType.DYNAMIC);
            case HAS_ANY -> terms(arguments.get(0), arguments.subList(1, arguments.size()), true, true, true);
            case CONTAINS -> SqlCall.of("contains", lower(arguments.get(0)), lower(arguments.get(1)));
            case CONTAINS_CS -> SqlCall.of("contains", arguments.get(0), arguments.get(1));
            case STARTS_WITH -> SqlCall.of("starts_with", lower(arguments.get(0)), lower(arguments.get(1)));
            case STARTS_WITH_CS -> SqlCall.of("starts_with", arguments.get(0), arguments.get(1));
            case ENDS_WITH -> SqlCall.of("ends_with", lower(arguments.get(0)), lower(arguments.get(1)));
            case ENDS_WITH_CS -> SqlCall.of("ends_with", arguments.get(0), arguments.get(1));
            case REGEX_MATCH -> SqlCall.of("regexp_matches", arguments.get(0), arguments.get(1));
            case IN -> new SqlInList(arguments.get(0), arguments.subList(1, arguments.size()), false);
            case IN_IGNORE_CASE ->
                new SqlInList(
                        lower(arguments.get(0)),
                        arguments.subList(1, arguments.size()).stream()
                                .map(DuckDbDialect::lower)
                                .toList(),
                        false);
            case IF ->
                new SqlCase(List.of(new SqlWhen(arguments.get(0), arguments.get(1))), Optional.of(arguments.get(2)));
            case CASE -> caseWhen(arguments);
            case COALESCE -> coalesce(arguments, resultType);
            // DuckDB's greatest and least skip nulls, as max_of and min_of do
            case GREATEST -> new SqlCall("greatest", arguments);
            case LEAST -> new SqlCall("least", arguments);
            case CONCAT -> new SqlCall("concat", arguments);
            case LENGTH -> SqlCall.of("length", arguments.get(0));
            case SUBSTRING -> substring(arguments);
            case LOWER -> SqlCall.of("lower", arguments.get(0));
            case UPPER -> SqlCall.of("upper", arguments.get(0));
            case REPLACE -> SqlCall.of("replace", arguments.get(0), arguments.get(1), arguments.get(2));
            case REGEX_EXTRACT ->
                SqlCall.of(
                        "coalesce",
                        SqlCall.of("regexp_extract", arguments.get(0), arguments.get(1), arguments.get(2)),
                        SqlLiteral.ofString(""));
            case SPLIT -> SqlCall.of("to_json", SqlCall.of("string_split", arguments.get(0), arguments.get(1)));
            case TO_STRING -> toStringValue(arguments.get(0), types.get(0));
            case TO_INT -> convert(arguments.get(0), types.get(0), "INTEGER");
            case TO_LONG -> convert(arguments.get(0), types.get(0), "BIGINT");
            case TO_REAL -> convert(arguments.get(0), types.get(0), "DOUBLE");
            case TO_BOOL -> convert(arguments.get(0), types.get(0), "BOOLEAN");
            case TO_DATETIME -> toDatetime(arguments.get(0), types.get(0));
            case TO_TIMESPAN -> convert(arguments.get(0), types.get(0), "INTERVAL");
            case TO_DYNAMIC -> toDynamic(arguments.get(0), types.get(0));
            case DYNAMIC_MEMBER -> SqlCall.of("json_extract", arguments.get(0), memberPath(arguments.get(1)));
            case DYNAMIC_ELEMENT -> SqlCall.of("json_extract", arguments.get(0), elementPath(arguments.get(1)));
            case ARRAY_LENGTH ->
                new SqlCase(
                        List.of(new SqlWhen(
                                new SqlBinary(
                                        "=", SqlCall.of("json_type", arguments.get(0)), SqlLiteral.ofString("ARRAY")),
                                new SqlCast(SqlCall.of("json_array_length", arguments.get(0)), "BIGINT", false))),
                        Optional.empty());
            case BIN -> bin(arguments, types.get(0));
            case ROUND -> SqlCall.of("round", arguments.get(0), new SqlCast(arguments.get(1), "INTEGER", false));
            case ABS -> abs(arguments.get(0), types.get(0));
            // the pattern is a bound parameter wrapped here, so user text never becomes SQL text
            case REGEX_TRIM_START ->
                SqlCall.of(
                        "regexp_replace",
                        arguments.get(0),
                        new SqlCall(
                                "concat",
                                List.of(SqlLiteral.ofString("^(?:"), arguments.get(1), SqlLiteral.ofString(")+"))),
                        SqlLiteral.ofString(""));
            case REGEX_TRIM_END ->
                SqlCall.of(
                        "regexp_replace",
                        arguments.get(0),
                        new SqlCall(
                                "concat",
                                List.of(SqlLiteral.ofString("(?:"), arguments.get(1), SqlLiteral.ofString(")+$"))),
                        SqlLiteral.ofString(""));
            case REGEX_REPLACE ->
                new SqlCall(
                        "regexp_replace",
                        List.of(arguments.get(0), arguments.get(1), arguments.get(2), SqlLiteral.ofString("g")));
            case COUNT_OF -> countOf(arguments.get(0), arguments.get(1));
            case REGEX_COUNT -> SqlCall.of("len", SqlCall.of("regexp_extract_all", arguments.get(0), arguments.get(1)));
            case DATETIME_DIFF -> datetimeDiff(arguments);
            case BAG_PACK -> new SqlCall("json_object", arguments);
            case ARRAY_PACK -> new SqlCall("json_array", arguments);
            case SPLIT_PART ->
                SqlCall.of(
                        "to_json",
                        SqlCall.of(
                                "list_slice",
                                SqlCall.of("string_split", arguments.get(0), arguments.get(1)),
                                new SqlBinary("+", arguments.get(2), SqlLiteral.of(1L)),
                                new SqlBinary("+", arguments.get(2), SqlLiteral.of(1L))));
            case SERIES_BIN_INDEX ->
                new SqlCast(
                        SqlCall.of("floor", binsBetween(arguments.get(1), arguments.get(0), arguments.get(2), types)),
                        "BIGINT",
                        false);
            case SERIES_BIN_COUNT ->
                new SqlCast(
                        SqlCall.of(
                                "greatest",
                                SqlCall.of(
                                        "ceil",
                                        binsBetween(arguments.get(0), arguments.get(1), arguments.get(2), types)),
                                SqlLiteral.of(0L)),
                        "BIGINT",
                        false);
            case SERIES_FILL ->
                seriesFill(arguments.get(0), arguments.get(1), arguments.get(2), firstBin(arguments, 3));
            case SERIES_AXIS ->
                seriesAxis(arguments.get(0), arguments.get(1), arguments.get(2), types.get(0), firstBin(arguments, 3));
            case RANGE_ARRAY -> rangeArray(arguments, types.get(0));
            case SERIES_FIT_LINE -> seriesUdf("vigil_series_fit_line", arguments);
            case SERIES_STATS -> seriesUdf("vigil_series_stats", arguments);
            case SERIES_OUTLIERS -> seriesUdf("vigil_series_outliers", arguments);
            case SERIES_DECOMPOSE_ANOMALIES -> seriesUdf("vigil_series_decompose_anomalies", arguments);
            case BAG_MERGE -> bagMerge(arguments);
            case BAG_REMOVE_KEYS -> bagRemoveKeys(arguments.get(0), arguments.get(1));
            case BAG_KEYS ->
                new SqlCase(
                        List.of(new SqlWhen(
                                isJsonType(arguments.get(0), "OBJECT"),
                                SqlCall.of("to_json", SqlCall.of("json_keys", arguments.get(0))))),
                        Optional.empty());
            case DYNAMIC_CONTAINS -> dynamicContains(arguments.get(0), arguments.get(1), false);
            case DYNAMIC_CONTAINS_IGNORE_CASE -> dynamicContains(arguments.get(0), arguments.get(1), true);
            case HAS_ANY_DYNAMIC -> hasElements(arguments.get(0), arguments.get(1), "list_bool_or");
            case HAS_ALL_DYNAMIC -> hasElements(arguments.get(0), arguments.get(1), "list_bool_and");
            // json_extract fails on text that is not JSON, where extract_json is null (extractjsonfunction)
            case JSON_PATH ->
                SqlCall.of(
                        "json_extract",
                        new SqlCase(
                                List.of(new SqlWhen(SqlCall.of("json_valid", arguments.get(1)), arguments.get(1))),
                                Optional.empty()),
                        arguments.get(0));
            case ARRAY_SLICE -> arraySlice(arguments);
            case PARSE_URL -> parseUrl(arguments.get(0));
            case PARSE_PATH -> parsePath(arguments.get(0));
            case PARSE_URL_QUERY ->
                SqlCall.of("json_object", SqlLiteral.ofString("Query Parameters"), queryParameters(arguments.get(0)));
            case IPV4_COMPARE -> ipv4Compare(arguments.get(0), arguments.get(1), arguments.get(2));
            case IPV4_IS_IN_RANGE -> ipv4InRange(arguments.get(0), arguments.get(1));
            case PARSE_XML -> textUdf("vigil_parse_xml", arguments.get(0));
            case GEO_INFO_FROM_IP_ADDRESS -> textUdf("vigil_geo_info_from_ip_address", arguments.get(0));
        };
    }

    /** Datetimes and timespans as microseconds, so that bin arithmetic is plain number arithmetic. */
    private static SqlExpression ordinal(SqlExpression value, ColumnType type) {
        if (type == ColumnType.DATETIME || type == ColumnType.TIMESPAN) {
            return SqlCall.of("epoch_us", value);
        }
        return value;
    }

    /** (to - from) / step in steps, a real number. */
    private static SqlExpression binsBetween(
            SqlExpression from, SqlExpression to, SqlExpression step, List<ColumnType> types) {
        SqlExpression distance = new SqlBinary("-", ordinal(to, types.get(0)), ordinal(from, types.get(0)));
        return new SqlBinary(
                "/", new SqlCast(distance, "DOUBLE", false), new SqlCast(ordinal(step, types.get(2)), "DOUBLE", false));
    }

    /** The optional first bin index of series_fill and series_axis (a series whose start comes from its data). */
    private static Optional<SqlExpression> firstBin(List<SqlExpression> arguments, int index) {
        if (arguments.size() > index) {
            return Optional.of(arguments.get(index));
        }
        return Optional.empty();
    }

    /** The lambda's bin number, shifted by the series' first bin index when it has one. */
    private static SqlExpression binNumber(Optional<SqlExpression> first) {
        SqlExpression bin = new SqlExpression.SqlColumn(Optional.empty(), "bin");
        if (first.isEmpty()) {
            return bin;
        }
        return new SqlBinary("+", bin, first.get());
    }

    /**
     * Bin i of the array is the entry keyed {@code "i"} (or {@code "first + i"}) of the object, else the default
     * (make-series-operator).
     */
    private static SqlExpression seriesFill(
            SqlExpression entries, SqlExpression length, SqlExpression fallback, Optional<SqlExpression> first) {
        SqlExpression path = new SqlCall(
                "concat", List.of(SqlLiteral.ofString("$.\""), binNumber(first), SqlLiteral.ofString("\"")));
        SqlExpression element =
                SqlCall.of("coalesce", SqlCall.of("json_extract", entries, path), SqlCall.of("to_json", fallback));
        return SqlCall.of(
                "to_json",
                SqlCall.of("list_transform", SqlCall.of("range", length), new SqlExpression.SqlLambda("bin", element)));
    }

    private static SqlExpression seriesAxis(
            SqlExpression start,
            SqlExpression step,
            SqlExpression length,
            ColumnType type,
            Optional<SqlExpression> first) {
        SqlExpression value = new SqlBinary("+", start, new SqlBinary("*", binNumber(first), step));
        return SqlCall.of(
                "to_json",
                SqlCall.of(
                        "list_transform",
                        SqlCall.of("range", length),
                        new SqlExpression.SqlLambda("bin", dynamicElement(value, type))));
    }

    /** KQL prints dynamic datetimes in ISO 8601 with a Z (scalar-data-types/datetime). */
    private static SqlExpression dynamicElement(SqlExpression value, ColumnType type) {
        if (type == ColumnType.DATETIME) {
            return SqlCall.of("strftime", value, SqlLiteral.ofString("%Y-%m-%dT%H:%M:%S.%f0Z"));
        }
        return value;
    }

    /** The range function's largest array: "The range function supports a maximum of 1,048,576 (2^20) results." */
    static final long MAX_RANGE_ELEMENTS = 1L << 20;

    /**
     * range(start, stop, step): stop included when a step lands on it, and at most {@link #MAX_RANGE_ELEMENTS}
     * elements, the rest cut as Kusto does (range-function), so that no query builds an array of 10^8 values.
     */
    private static SqlExpression rangeArray(List<SqlExpression> arguments, ColumnType type) {
        if (type == ColumnType.TIMESPAN) {
            SqlExpression start = SqlCall.of("epoch_us", arguments.get(0));
            SqlExpression step = SqlCall.of("epoch_us", arguments.get(2));
            SqlExpression micros = SqlCall.of(
                    "generate_series",
                    start,
                    cappedStop(start, SqlCall.of("epoch_us", arguments.get(1)), step, "BIGINT"),
                    step);
            SqlExpression element = SqlCall.of("to_microseconds", new SqlExpression.SqlColumn(Optional.empty(), "bin"));
            return SqlCall.of(
                    "to_json", SqlCall.of("list_transform", micros, new SqlExpression.SqlLambda("bin", element)));
        }
        SqlExpression series = SqlCall.of(
                "generate_series",
                arguments.get(0),
                cappedStop(arguments.get(0), arguments.get(1), arguments.get(2), INSTANCE.typeName(type)),
                arguments.get(2));
        if (type == ColumnType.DATETIME) {
            SqlExpression element = dynamicElement(new SqlExpression.SqlColumn(Optional.empty(), "bin"), type);
            return SqlCall.of(
                    "to_json", SqlCall.of("list_transform", series, new SqlExpression.SqlLambda("bin", element)));
        }
        return SqlCall.of("to_json", series);
    }

    /**
     * The stop of a range cut to its last allowed element: the nearer of {@code stop} and {@code start + step *
     * (MAX_RANGE_ELEMENTS - 1)} in the step's direction. Integers are computed as HUGEINT, which cannot overflow
     * here, and cast back.
     */
    private static SqlExpression cappedStop(
            SqlExpression start, SqlExpression stop, SqlExpression step, String resultType) {
        SqlExpression wideStart = start;
        SqlExpression wideStop = stop;
        SqlExpression wideStep = step;
        boolean integral = resultType.equals("BIGINT");
        if (integral) {
            wideStart = new SqlCast(start, "HUGEINT", false);
            wideStop = new SqlCast(stop, "HUGEINT", false);
            wideStep = new SqlCast(step, "HUGEINT", false);
        }
        SqlExpression last =
                new SqlBinary("+", wideStart, new SqlBinary("*", wideStep, SqlLiteral.of(MAX_RANGE_ELEMENTS - 1)));
        SqlExpression zero = SqlLiteral.of(0);
        if (resultType.equals("TIMESTAMP")) {
            zero = new SqlLiteral("INTERVAL '0 seconds'");
        }
        SqlExpression capped = new SqlCase(
                List.of(
                        new SqlWhen(new SqlBinary(">", step, zero), SqlCall.of("least", wideStop, last)),
                        new SqlWhen(new SqlBinary("<", step, zero), SqlCall.of("greatest", wideStop, last))),
                Optional.of(wideStop));
        if (integral) {
            return new SqlCast(capped, "BIGINT", false);
        }
        return capped;
    }

    /**
     * DuckDB's generate_series table function streams BIGINT series and TIMESTAMP series by an INTERVAL; a
     * timespan series runs over microseconds, a real one over the step count (floor((stop - start) / step)).
     */
    @Override
    public SqlSeries series(SqlExpression start, SqlExpression stop, SqlExpression step, ColumnType type) {
        return switch (type) {
            case LONG, DATETIME -> new SqlSeries(SqlCall.of("generate_series", start, stop, step), value -> value);
            case TIMESPAN ->
                new SqlSeries(
                        SqlCall.of(
                                "generate_series",
                                SqlCall.of("epoch_us", start),
                                SqlCall.of("epoch_us", stop),
                                SqlCall.of("epoch_us", step)),
                        value -> SqlCall.of("to_microseconds", value));
            case REAL -> {
                SqlExpression steps = new SqlCast(
                        SqlCall.of("floor", new SqlBinary("/", new SqlBinary("-", stop, start), step)),
                        "BIGINT",
                        false);
                yield new SqlSeries(
                        SqlCall.of("generate_series", SqlLiteral.of(0), steps),
                        value -> new SqlBinary("+", start, new SqlBinary("*", value, step)));
            }
            case STRING, GUID, INT, BOOL, DYNAMIC ->
                throw new UnsupportedOperationException("a range of " + type.kqlName() + " values");
        };
    }

    /**
     * The series_* functions run as Java scalar functions that the store registers on every DuckDB
     * database ({@code io.vigil.store.series.DuckDbSeriesFunctions}): the series and a JSON array of the
     * other arguments as text in, a JSON document as text out.
     */
    private static SqlExpression seriesUdf(String name, List<SqlExpression> arguments) {
        SqlExpression options = SqlLiteral.ofString("[]");
        if (arguments.size() > 1) {
            options = new SqlCast(new SqlCall("json_array", arguments.subList(1, arguments.size())), "VARCHAR", false);
        }
        return new SqlCast(SqlCall.of(name, new SqlCast(arguments.get(0), "VARCHAR", false), options), "JSON", false);
    }

    /**
     * parse_xml and geo_info_from_ip_address run as Java scalar functions that the store registers on every
     * DuckDB database ({@code io.vigil.store.StoreFunctions}): text in, JSON text (or null) out.
     */
    private static SqlExpression textUdf(String name, SqlExpression argument) {
        return new SqlCast(SqlCall.of(name, new SqlCast(argument, "VARCHAR", false)), "JSON", false);
    }

    private static SqlExpression isJsonType(SqlExpression value, String type) {
        return new SqlBinary("=", SqlCall.of("json_type", value), SqlLiteral.ofString(type));
    }

    /** A JSON object as a map of its top-level keys; anything else as the empty map. */
    private static SqlExpression asMap(SqlExpression value) {
        return SqlCall.of(
                "coalesce",
                new SqlCase(
                        List.of(new SqlWhen(
                                isJsonType(value, "OBJECT"), new SqlCast(value, "MAP(VARCHAR, JSON)", true))),
                        Optional.empty()),
                new SqlCast(new SqlCast(SqlLiteral.ofString("{}"), "JSON", false), "MAP(VARCHAR, JSON)", false));
    }

    /**
     * bag_remove_keys(bag, keys): the entries of the bag whose key is not one of the array's elements (compared as
     * text), in the bag's order (bag-remove-keys-function).
     */
    private static SqlExpression bagRemoveKeys(SqlExpression bag, SqlExpression keys) {
        SqlExpression removed = SqlCall.of("json_extract_string", keys, SqlLiteral.ofString("$[*]"));
        SqlExpression entryKey = SqlExpression.SqlColumn.of("e", "key");
        SqlExpression kept = SqlCall.of(
                "list_filter",
                SqlCall.of("map_entries", new SqlCast(bag, "MAP(VARCHAR, JSON)", true)),
                new SqlExpression.SqlLambda(
                        List.of("e"),
                        new SqlUnary(
                                "NOT",
                                SqlCall.of(
                                        "coalesce", SqlCall.of("list_contains", removed, entryKey), SqlLiteral.FALSE),
                                false)));
        return new SqlCase(
                List.of(new SqlWhen(
                        isJsonType(bag, "OBJECT"), SqlCall.of("to_json", SqlCall.of("map_from_entries", kept)))),
                Optional.empty());
    }

    /** bag_merge: on a key in several bags the first bag wins (bag-merge-function); map_concat lets the last win. */
    private static SqlExpression bagMerge(List<SqlExpression> arguments) {
        List<SqlExpression> maps = new ArrayList<>();
        for (int index = arguments.size() - 1; index >= 0; index--) {
            maps.add(asMap(arguments.get(index)));
        }
        if (maps.size() == 1) {
            return SqlCall.of("to_json", maps.get(0));
        }
        return SqlCall.of("to_json", new SqlCall("map_concat", maps));
    }

    /** {@code x in (dynamicArray)}: the elements compare by their text; a dynamic scalar compares as one value. */
    private static SqlExpression dynamicContains(SqlExpression dynamic, SqlExpression text, boolean ignoreCase) {
        SqlExpression elements = SqlCall.of("json_extract_string", dynamic, SqlLiteral.ofString("$[*]"));
        SqlExpression scalar = SqlCall.of("json_extract_string", dynamic, SqlLiteral.ofString("$"));
        if (ignoreCase) {
            elements = SqlCall.of(
                    "list_transform",
                    elements,
                    new SqlExpression.SqlLambda(
                            List.of("e"), SqlCall.of("lower", new SqlExpression.SqlColumn(Optional.empty(), "e"))));
            scalar = lower(scalar);
            text = lower(text);
        }
        return SqlCall.of(
                "coalesce",
                new SqlCase(
                        List.of(new SqlWhen(isJsonType(dynamic, "ARRAY"), SqlCall.of("list_contains", elements, text))),
                        Optional.of(new SqlBinary("=", scalar, text))),
                SqlLiteral.FALSE);
    }

    /**
     * {@code text has_any (d)} / {@code has_all} over a dynamic array known only at run time: each element's text is
     * a term as in {@code has}; an empty or non-array value matches nothing (false, also for has_all).
     */
    private static SqlExpression hasElements(SqlExpression text, SqlExpression dynamic, String combine) {
        SqlExpression elements = SqlCall.of("json_extract_string", dynamic, SqlLiteral.ofString("$[*]"));
        SqlExpression element = new SqlExpression.SqlColumn(Optional.empty(), "e");
        SqlExpression test = terms(text, List.of(element), true, true, true);
        SqlExpression matches = SqlCall.of(
                combine, SqlCall.of("list_transform", elements, new SqlExpression.SqlLambda(List.of("e"), test)));
        return SqlCall.of(
                "coalesce",
                new SqlCase(List.of(new SqlWhen(isJsonType(dynamic, "ARRAY"), matches)), Optional.empty()),
                SqlLiteral.FALSE);
    }

    /** array_slice(array, start, end): inclusive 0-based bounds, negative ones from the end (array-slice-function). */
    private static SqlExpression arraySlice(List<SqlExpression> arguments) {
        SqlExpression list =
                new SqlCast(SqlCall.of("json_extract", arguments.get(0), SqlLiteral.ofString("$[*]")), "JSON[]", false);
        SqlExpression length = SqlCall.of("len", list);
        return new SqlCase(
                List.of(new SqlWhen(
                        isJsonType(arguments.get(0), "ARRAY"),
                        SqlCall.of(
                                "to_json",
                                SqlCall.of(
                                        "list_slice",
                                        list,
                                        slicePosition(arguments.get(1), length),
                                        slicePosition(arguments.get(2), length))))),
                Optional.empty());
    }

    private static SqlExpression slicePosition(SqlExpression index, SqlExpression length) {
        return new SqlCase(
                List.of(new SqlWhen(
                        new SqlBinary("<", index, SqlLiteral.of(0L)),
                        new SqlBinary("+", new SqlBinary("+", length, index), SqlLiteral.of(1L)))),
                Optional.of(new SqlBinary("+", index, SqlLiteral.of(1L))));
    }

    /** The parts of a URL by the generic-syntax expression of RFC 3986, appendix B. */
    private static final String URL_PATTERN = "^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$";

    private static SqlExpression urlPart(SqlExpression url, int group) {
        return SqlCall.of("regexp_extract", url, SqlLiteral.ofString(URL_PATTERN), SqlLiteral.of(group));
    }

    /** parse_url: Scheme, Host, Port, Path, Username, Password, Query Parameters, Fragment (parse-url-function). */
    private static SqlExpression parseUrl(SqlExpression url) {
        SqlExpression authority = urlPart(url, 2);
        SqlExpression userInfo =
                SqlCall.of("regexp_extract", authority, SqlLiteral.ofString("^([^@]*)@"), SqlLiteral.of(1L));
        SqlExpression hostAndPort =
                SqlCall.of("regexp_replace", authority, SqlLiteral.ofString("^[^@]*@"), SqlLiteral.ofString(""));
        SqlExpression host = SqlCall.of(
                "regexp_extract", hostAndPort, SqlLiteral.ofString("^(\\[[^\\]]*\\]|[^:]*)"), SqlLiteral.of(1L));
        SqlExpression port =
                SqlCall.of("regexp_extract", hostAndPort, SqlLiteral.ofString(":([0-9]*)$"), SqlLiteral.of(1L));
        SqlExpression user = SqlCall.of("regexp_extract", userInfo, SqlLiteral.ofString("^([^:]*)"), SqlLiteral.of(1L));
        SqlExpression password =
                SqlCall.of("regexp_extract", userInfo, SqlLiteral.ofString(":(.*)$"), SqlLiteral.of(1L));
        return new SqlCall(
                "json_object",
                List.of(
                        SqlLiteral.ofString("Scheme"),
                        urlPart(url, 1),
                        SqlLiteral.ofString("Host"),
                        host,
                        SqlLiteral.ofString("Port"),
                        port,
                        SqlLiteral.ofString("Path"),
                        urlPart(url, 3),
                        SqlLiteral.ofString("Username"),
                        user,
                        SqlLiteral.ofString("Password"),
                        password,
                        SqlLiteral.ofString("Query Parameters"),
                        queryParameters(urlPart(url, 4)),
                        SqlLiteral.ofString("Fragment"),
                        urlPart(url, 5)));
    }

    private static SqlExpression regexpPart(SqlExpression text, String pattern) {
        return SqlCall.of("regexp_extract", text, SqlLiteral.ofString(pattern), SqlLiteral.of(1L));
    }

    /**
     * parse_path (parse-path-function): an optional scheme:// is cut off first; what follows the last slash or
     * backslash is the file name, split at its first ':' into Filename and AlternateDataStreamName (a drive's ':'
     * comes before the first separator, so it never falls there); what precedes it is the DirectoryPath, whose last
     * segment is the DirectoryName; RootPath is the drive letter, also after a long-path prefix; every part
     * missing is "".
     */
    private static SqlExpression parsePath(SqlExpression path) {
        SqlExpression rest = SqlCall.of(
                "regexp_replace", path, SqlLiteral.ofString("^[A-Za-z][A-Za-z0-9+.-]*://"), SqlLiteral.ofString(""));
        SqlExpression directory = regexpPart(rest, "^(.*)[\\\\/][^\\\\/]*$");
        SqlExpression lastPart = regexpPart(rest, "([^\\\\/]*)$");
        SqlExpression filename = regexpPart(lastPart, "^([^:]*)");
        return new SqlCall(
                "json_object",
                List.of(
                        SqlLiteral.ofString("Scheme"),
                        regexpPart(path, "^([A-Za-z][A-Za-z0-9+.-]*)://"),
                        SqlLiteral.ofString("RootPath"),
                        regexpPart(rest, "^(?:\\\\\\\\[?.]\\\\)?([A-Za-z]:)"),
                        SqlLiteral.ofString("DirectoryPath"),
                        directory,
                        SqlLiteral.ofString("DirectoryName"),
                        regexpPart(directory, "([^\\\\/]*)$"),
                        SqlLiteral.ofString("Filename"),
                        filename,
                        SqlLiteral.ofString("Extension"),
                        regexpPart(filename, "\\.([^.]*)$"),
                        SqlLiteral.ofString("AlternateDataStreamName"),
                        regexpPart(lastPart, "^[^:]*:(.*)$")));
    }

    /**
     * The key=value pairs of a query string as a bag of decoded strings (parse-urlquery-function); a key
     * given twice keeps its last value.
     */
    private static SqlExpression queryParameters(SqlExpression query) {
        SqlExpression pair = new SqlExpression.SqlColumn(Optional.empty(), "p");
        SqlExpression pairs = SqlCall.of(
                "list_filter",
                SqlCall.of(
                        "string_split",
                        SqlCall.of("regexp_replace", query, SqlLiteral.ofString("^\\?"), SqlLiteral.ofString("")),
                        SqlLiteral.ofString("&")),
                new SqlExpression.SqlLambda(List.of("p"), new SqlBinary("<>", pair, SqlLiteral.ofString(""))));
        SqlExpression key = SqlCall.of("split_part", pair, SqlLiteral.ofString("="), SqlLiteral.of(1L));
        SqlExpression value =
                SqlCall.of("substr", pair, new SqlBinary("+", SqlCall.of("length", key), SqlLiteral.of(2L)));
        SqlExpression keys = SqlCall.of(
                "list_transform", pairs, new SqlExpression.SqlLambda(List.of("p"), SqlCall.of("url_decode", key)));
        SqlExpression entries = SqlCall.of(
                "list_transform",
                pairs,
                new SqlExpression.SqlLambda(
                        List.of("p"),
                        SqlCall.of("row", SqlCall.of("url_decode", key), SqlCall.of("url_decode", value))));
        // map keys must be unique: keep an entry only when no later entry has its key
        SqlExpression entry = new SqlExpression.SqlColumn(Optional.empty(), "e");
        SqlExpression position = new SqlExpression.SqlColumn(Optional.empty(), "i");
        SqlExpression lastOfKey = SqlCall.of(
                "list_filter",
                entries,
                new SqlExpression.SqlLambda(
                        List.of("e", "i"),
                        new SqlUnary(
                                "NOT",
                                SqlCall.of(
                                        "list_contains",
                                        SqlCall.of(
                                                "list_slice",
                                                keys,
                                                new SqlBinary("+", position, SqlLiteral.of(1L)),
                                                SqlCall.of("len", keys)),
                                        SqlCall.of("struct_extract", entry, SqlLiteral.of(1L))),
                                false)));
        return SqlCall.of(
                "coalesce",
                SqlCall.of("to_json", SqlCall.of("map_from_entries", lastOfKey)),
                new SqlCast(SqlLiteral.ofString("{}"), "JSON", false));
    }

    /** The address part of an IPv4 string with an optional /prefix, as a number; null when it does not parse. */
    static SqlExpression ipv4Number(SqlExpression text) {
        SqlExpression address = SqlCall.of("split_part", text, SqlLiteral.ofString("/"), SqlLiteral.of(1L));
        String octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        SqlExpression value = SqlLiteral.of(0L);
        for (int index = 1; index <= 4; index++) {
            SqlExpression part = new SqlCast(
                    SqlCall.of("split_part", address, SqlLiteral.ofString("."), SqlLiteral.of(index)), "BIGINT", true);
            value = new SqlBinary("+", new SqlBinary("*", value, SqlLiteral.of(256L)), part);
        }
        return new SqlCase(
                List.of(new SqlWhen(
                        SqlCall.of("regexp_full_match", address, SqlLiteral.ofString(octet + "(\\." + octet + "){3}")),
                        value)),
                Optional.empty());
    }

    /** The /prefix of an IPv4 string (32 without one); null when it is not 0 to 32. */
    static SqlExpression ipv4Prefix(SqlExpression text) {
        SqlExpression given = new SqlCast(
                SqlCall.of("split_part", text, SqlLiteral.ofString("/"), SqlLiteral.of(2L)), "BIGINT", true);
        return new SqlCase(
                List.of(
                        new SqlWhen(
                                new SqlUnary("NOT", SqlCall.of("contains", text, SqlLiteral.ofString("/")), false),
                                SqlLiteral.of(32L)),
                        new SqlWhen(
                                new SqlBinary(
                                        "AND",
                                        new SqlBinary(">=", given, SqlLiteral.of(0L)),
                                        new SqlBinary("<=", given, SqlLiteral.of(32L))),
                                given)),
                Optional.empty());
    }

    static SqlExpression masked(SqlExpression number, SqlExpression prefix) {
        return new SqlBinary(">>", number, new SqlBinary("-", SqlLiteral.of(32L), prefix));
    }

    /** ipv4_compare(a, b, prefix): both masked by the smallest of their prefixes and the argument (ipv4-compare-function). */
    private static SqlExpression ipv4Compare(SqlExpression left, SqlExpression right, SqlExpression prefix) {
        SqlExpression bits = SqlCall.of("least", ipv4Prefix(left), ipv4Prefix(right), prefix);
        return new SqlCast(
                SqlCall.of("sign", new SqlBinary("-", masked(ipv4Number(left), bits), masked(ipv4Number(right), bits))),
                "BIGINT",
                false);
    }

    /** ipv4_is_in_range(address, range): the address masked by the range's prefix (ipv4-is-in-range-function). */
    static SqlExpression ipv4InRange(SqlExpression address, SqlExpression range) {
        SqlExpression bits = ipv4Prefix(range);
        return new SqlBinary("=", masked(ipv4Number(address), bits), masked(ipv4Number(range), bits));
    }

    /**
     * datetime_diff counts period boundaries from the second datetime to the first. KQL's weeks start on
     * Sunday, DuckDB's on Monday, so weeks count the days between the Sundays that start them
     * (datetime-diff-function: 2017-10-29 minus 2017-09-30 23:59 is 5 weeks).
     */
    private static SqlExpression datetimeDiff(List<SqlExpression> arguments) {
        if (arguments.get(0) instanceof SqlParameter parameter && "week".equals(parameter.value())) {
            return new SqlBinary(
                    "//",
                    SqlCall.of(
                            "date_diff",
                            SqlLiteral.ofString("day"),
                            sunday(arguments.get(2)),
                            sunday(arguments.get(1))),
                    SqlLiteral.of(7L));
        }
        return SqlCall.of("date_diff", arguments.get(0), arguments.get(2), arguments.get(1));
    }

    /** The Sunday starting the week of a datetime: DuckDB's Monday-based week of the next day, less a day. */
    private static SqlExpression sunday(SqlExpression value) {
        SqlExpression oneDay = new SqlLiteral("INTERVAL '1 day'");
        return new SqlBinary(
                "-", SqlCall.of("date_trunc", SqlLiteral.ofString("week"), new SqlBinary("+", value, oneDay)), oneDay);
    }

    /** Non-overlapping occurrences: the length removed by deleting them, over the needle's length (countof-function). */
    private static SqlExpression countOf(SqlExpression text, SqlExpression needle) {
        SqlExpression removed = new SqlBinary(
                "-",
                SqlCall.of("length", text),
                SqlCall.of("length", SqlCall.of("replace", text, needle, SqlLiteral.ofString(""))));
        return new SqlCase(
                List.of(new SqlWhen(
                        new SqlBinary("=", SqlCall.of("length", needle), SqlLiteral.of(0L)), SqlLiteral.of(0L))),
                Optional.of(new SqlCast(new SqlBinary("//", removed, SqlCall.of("length", needle)), "BIGINT", false)));
    }

    /** make_set / make_list; a second argument is maxSize, the most elements kept (make-set-aggregate-function). */
    private static SqlExpression collect(List<SqlExpression> arguments, boolean distinct) {
        SqlExpression list = new SqlAggregate(
                "list",
                distinct,
                List.of(arguments.get(0)),
                Optional.of(new SqlUnary("IS NOT NULL", arguments.get(0), true)));
        if (arguments.size() == 2) {
            list = SqlCall.of("list_slice", list, SqlLiteral.of(1L), arguments.get(1));
        }
        return SqlCall.of(
                "coalesce", SqlCall.of("to_json", list), new SqlCast(SqlLiteral.ofString("[]"), "JSON", false));
    }

    /**
     * make_set of a dynamic value: an array's elements are members of the set, not the array itself
     * (make-set-aggregation-function, "Set from array column": make_set over ['A1', 'A2', 'A3'], ['A2', 'C1'], ...
     * is ["A1","A2","A3","C1","C2"]); other values are members as they are.
     */
    private static SqlExpression setOfElements(List<SqlExpression> arguments) {
        SqlExpression value = arguments.get(0);
        SqlExpression elements = new SqlCase(
                List.of(new SqlWhen(
                        isJsonType(value, "ARRAY"),
                        new SqlCast(SqlCall.of("json_extract", value, SqlLiteral.ofString("$[*]")), "JSON[]", false))),
                Optional.of(new SqlCast(SqlCall.of("list_value", value), "JSON[]", false)));
        SqlExpression lists = new SqlAggregate(
                "list", false, List.of(elements), Optional.of(new SqlUnary("IS NOT NULL", value, true)));
        SqlExpression members = SqlCall.of(
                "list_filter",
                SqlCall.of("list_distinct", SqlCall.of("flatten", lists)),
                new SqlExpression.SqlLambda(
                        "member", new SqlUnary("IS NOT NULL", new SqlColumn(Optional.empty(), "member"), true)));
        if (arguments.size() == 2) {
            members = SqlCall.of("list_slice", members, SqlLiteral.of(1L), arguments.get(1));
        }
        return SqlCall.of(
                "coalesce", SqlCall.of("to_json", members), new SqlCast(SqlLiteral.ofString("[]"), "JSON", false));
    }

    /**
     * make_bag: the union of the group's property bags; other values are ignored, and a key in several bags
     * gets one of its values (make-bag-aggregate-function).
     */
    private static SqlExpression makeBag(SqlExpression bag, Optional<SqlExpression> predicate) {
        SqlExpression filter = isJsonType(bag, "OBJECT");
        if (predicate.isPresent()) {
            filter = new SqlBinary("AND", predicate.get(), filter);
        }
        SqlExpression maps = new SqlAggregate(
                "list", false, List.of(new SqlCast(bag, "MAP(VARCHAR, JSON)", true)), Optional.of(filter));
        SqlExpression merged = SqlCall.of(
                "list_reduce",
                maps,
                new SqlExpression.SqlLambda(
                        List.of("a", "b"),
                        SqlCall.of(
                                "map_concat",
                                new SqlExpression.SqlColumn(Optional.empty(), "a"),
                                new SqlExpression.SqlColumn(Optional.empty(), "b"))));
        return SqlCall.of(
                "coalesce", SqlCall.of("to_json", merged), new SqlCast(SqlLiteral.ofString("{}"), "JSON", false));
    }

    private static SqlExpression chain(String operator, List<SqlExpression> arguments) {
        SqlExpression result = arguments.get(0);
        for (int index = 1; index < arguments.size(); index++) {
            result = new SqlBinary(operator, result, arguments.get(index));
        }
        return result;
    }

    private static SqlExpression binary(String operator, List<SqlExpression> arguments) {
        return new SqlBinary(operator, arguments.get(0), arguments.get(1));
    }

    private static SqlExpression lower(SqlExpression expression) {
        if (expression instanceof SqlParameter parameter && parameter.value() instanceof String text) {
            return new SqlParameter(text.toLowerCase(Locale.ROOT));
        }
        return SqlCall.of("lower", expression);
    }

    /**
     * KQL equality: null == value is false and null != value is true, but null == null is null
     * (scalar-data-types/null-values). Strings are never null, so plain SQL equality is right for them.
     */
    private static SqlExpression equality(List<SqlExpression> arguments, List<ColumnType> types, boolean negated) {
        SqlExpression left = arguments.get(0);
        SqlExpression right = arguments.get(1);
        String plain = "=";
        String distinct = "IS NOT DISTINCT FROM";
        if (negated) {
            plain = "<>";
            distinct = "IS DISTINCT FROM";
        }
        if (types.get(0) == ColumnType.STRING && types.get(1) == ColumnType.STRING) {
            return new SqlBinary(plain, left, right);
        }
        if (isNonNullConstant(left) || isNonNullConstant(right)) {
            return new SqlBinary(distinct, left, right);
        }
        SqlExpression bothNull =
                new SqlBinary("AND", new SqlUnary("IS NULL", left, true), new SqlUnary("IS NULL", right, true));
        return new SqlCase(
                List.of(new SqlWhen(bothNull, new SqlCast(SqlLiteral.NULL, "BOOLEAN", false))),
                Optional.of(new SqlBinary(distinct, left, right)));
    }

    private static boolean isNonNullConstant(SqlExpression expression) {
        return switch (expression) {
            case SqlParameter parameter -> true;
            case SqlLiteral literal -> literal != SqlLiteral.NULL;
            case SqlCast cast -> isNonNullConstant(cast.expression());
            case SqlExpression.SqlColumn column -> false;
            case SqlCall call -> false;
            case SqlAggregate aggregate -> false;
            case SqlBinary binary -> false;
            case SqlUnary unary -> false;
            case SqlCase sqlCase -> false;
            case SqlInList in -> false;
            case SqlExpression.SqlInQuery in -> false;
            case SqlExpression.SqlStar star -> false;
            case SqlExpression.SqlLambda lambda -> false;
            case SqlExpression.SqlWindow window -> false;
            case SqlExpression.SqlScalarQuery scalar -> false;
        };
    }

    /** Integer division truncates for integers (arithmetic operators), real division otherwise. */
    private static SqlExpression divide(List<SqlExpression> arguments, List<ColumnType> types, ColumnType resultType) {
        if (types.get(0) == ColumnType.TIMESPAN && types.get(1) == ColumnType.TIMESPAN) {
            // the ratio of two timespans is a real (datetime-timespan-arithmetic); DuckDB cannot divide intervals
            return new SqlBinary(
                    "/",
                    new SqlCast(SqlCall.of("epoch_us", arguments.get(0)), "DOUBLE", false),
                    SqlCall.of("epoch_us", arguments.get(1)));
        }
        if (resultType == ColumnType.INT || resultType == ColumnType.LONG) {
            return binary("//", arguments);
        }
        return binary("/", arguments);
    }

    /**
     * KQL's modulo is never negative: 0 <= N % D < abs(D), for -14 % 12 too (numerical-operators, "Comment about
     * the modulo operator"); SQL's % takes the sign of N.
     */
    private static SqlExpression modulo(List<SqlExpression> arguments) {
        SqlExpression divisor = SqlCall.of("abs", arguments.get(1));
        SqlExpression remainder = binary("%", arguments);
        return new SqlBinary("%", new SqlBinary("+", remainder, divisor), divisor);
    }

    /**
     * arg_max / arg_min of one column: arg_max_null takes the value of the chosen row even when it is null,
     * keeping columns of one row. Rows with a null key are ignored, but a group whose keys are all null still
     * gives its first row, as in arg-max-aggregation-function's example (Banana | null | Yellow), where DuckDB
     * alone would give nulls.
     */
    private static SqlExpression argExtreme(String function, List<SqlExpression> arguments) {
        SqlExpression value = arguments.get(0);
        SqlExpression key = arguments.get(1);
        SqlExpression noKey = new SqlBinary("=", SqlAggregate.of("count", key), SqlLiteral.of(0L));
        return new SqlCase(
                List.of(new SqlWhen(noKey, SqlAggregate.of("first", value))),
                Optional.of(SqlAggregate.of(function, value, key)));
    }

    /** A dynamic JSON null is null too: isnull(dynamic(null)) is true (isnull-function). */
    private static SqlExpression isNull(SqlExpression value, ColumnType type) {
        SqlExpression sqlNull = new SqlUnary("IS NULL", value, true);
        if (type != ColumnType.DYNAMIC) {
            return sqlNull;
        }
        return new SqlBinary(
                "OR", sqlNull, new SqlBinary("=", SqlCall.of("json_type", value), SqlLiteral.ofString("NULL")));
    }

    /** DuckDB has no abs of an INTERVAL; abs(-1h) is 1h (abs-function). */
    private static SqlExpression abs(SqlExpression value, ColumnType type) {
        if (type != ColumnType.TIMESPAN) {
            return SqlCall.of("abs", value);
        }
        return new SqlCase(
                List.of(new SqlWhen(
                        new SqlBinary("<", value, new SqlLiteral("INTERVAL '0 seconds'")),
                        new SqlUnary("-", value, false))),
                Optional.of(value));
    }

    /** isempty: null or the empty string (isempty-function). */
    private static SqlExpression isEmpty(SqlExpression value, ColumnType type) {
        if (type == ColumnType.STRING) {
            return new SqlBinary("=", value, SqlLiteral.ofString(""));
        }
        if (type == ColumnType.DYNAMIC) {
            // a dynamic empty string or null is empty, an empty array or bag is not: isempty(parse_json("")) is true
            return new SqlBinary(
                    "=", SqlCall.of("coalesce", jsonText(value), SqlLiteral.ofString("")), SqlLiteral.ofString(""));
        }
        return new SqlBinary(
                "=",
                SqlCall.of("coalesce", new SqlCast(value, "VARCHAR", false), SqlLiteral.ofString("")),
                SqlLiteral.ofString(""));
    }

    /**
     * {@code has} and friends: the term must be bounded by non-alphanumerics or the ends of the text
     * (has-operator, datatypes-string-operators#what-is-a-term). Constant terms are escaped in Java and
     * bound as one RE2 pattern; other terms are escaped by DuckDB's {@code regexp_escape}.
     */
    static SqlExpression terms(
            SqlExpression text,
            List<SqlExpression> terms,
            boolean ignoreCase,
            boolean boundedBefore,
            boolean boundedAfter) {
        String prefix = "";
        if (ignoreCase) {
            prefix = "(?i)";
        }
        if (boundedBefore) {
            prefix = prefix + "(?:^|" + TERM_BOUNDARY + ")";
        }
        String suffix = "";
        if (boundedAfter) {
            suffix = "(?:$|" + TERM_BOUNDARY + ")";
        }
        boolean allConstant = terms.stream()
                .allMatch(term -> term instanceof SqlParameter parameter && parameter.value() instanceof String);
        if (allConstant) {
            List<String> escaped = new ArrayList<>();
            for (SqlExpression term : terms) {
                escaped.add(escapeRegex((String) ((SqlParameter) term).value()));
            }
            String pattern = prefix + "(?:" + String.join("|", escaped) + ")" + suffix;
            return SqlCall.of("regexp_matches", text, new SqlParameter(pattern));
        }
        List<SqlExpression> alternatives = new ArrayList<>();
        for (SqlExpression term : terms) {
            SqlExpression pattern = new SqlCall(
                    "concat",
                    List.of(
                            SqlLiteral.ofString(prefix + "(?:"),
                            SqlCall.of("regexp_escape", term),
                            SqlLiteral.ofString(")" + suffix)));
            alternatives.add(SqlCall.of("regexp_matches", text, pattern));
        }
        return chain("OR", alternatives);
    }

    /** Escapes RE2 metacharacters; letters, digits and non-ASCII characters stand for themselves. */
    static String escapeRegex(String text) {
        StringBuilder escaped = new StringBuilder();
        text.codePoints().forEach(codePoint -> {
            if (codePoint < 128 && !Character.isLetterOrDigit(codePoint) && codePoint != ' ') {
                if (codePoint < 32 || codePoint == 127) {
                    escaped.append(String.format(Locale.ROOT, "\\x{%x}", codePoint));
                } else {
                    escaped.append('\\').appendCodePoint(codePoint);
                }
            } else {
                escaped.appendCodePoint(codePoint);
            }
        });
        return escaped.toString();
    }

    private static SqlExpression caseWhen(List<SqlExpression> arguments) {
        List<SqlWhen> whens = new ArrayList<>();
        for (int index = 0; index + 1 < arguments.size(); index += 2) {
            whens.add(new SqlWhen(arguments.get(index), arguments.get(index + 1)));
        }
        return new SqlCase(whens, Optional.of(arguments.get(arguments.size() - 1)));
    }

    /** For strings, coalesce skips empty values too (coalesce-function). */
    private static SqlExpression coalesce(List<SqlExpression> arguments, ColumnType resultType) {
        if (resultType != ColumnType.STRING) {
            return new SqlCall("coalesce", arguments);
        }
        List<SqlExpression> values = new ArrayList<>();
        for (SqlExpression argument : arguments) {
            values.add(SqlCall.of("nullif", argument, SqlLiteral.ofString("")));
        }
        values.add(SqlLiteral.ofString(""));
        return new SqlCall("coalesce", values);
    }

    /**
     * substring(text, start[, length]) with a 0-based start; a negative start counts from the end of the
     * text, substring("123456", -2, 2) is "56" (substring-function).
     */
    private static SqlExpression substring(List<SqlExpression> arguments) {
        SqlExpression fromEnd = SqlCall.of(
                "greatest",
                new SqlBinary("+", SqlCall.of("length", arguments.get(0)), arguments.get(1)),
                SqlLiteral.of(0));
        SqlExpression start = new SqlBinary(
                "+",
                new SqlCase(
                        List.of(new SqlWhen(new SqlBinary("<", arguments.get(1), SqlLiteral.of(0)), fromEnd)),
                        Optional.of(arguments.get(1))),
                SqlLiteral.of(1));
        if (arguments.size() > 2) {
            return SqlCall.of("substring", arguments.get(0), start, arguments.get(2));
        }
        return SqlCall.of("substring", arguments.get(0), start);
    }

    /** tostring: dynamic strings lose their quotes, nulls become empty (tostring-function). */
    private static SqlExpression toStringValue(SqlExpression value, ColumnType type) {
        return switch (type) {
            case STRING -> value;
            case DYNAMIC -> SqlCall.of("coalesce", jsonText(value), SqlLiteral.ofString(""));
            case DATETIME ->
                SqlCall.of(
                        "coalesce",
                        SqlCall.of("strftime", value, SqlLiteral.ofString("%Y-%m-%dT%H:%M:%S.%f0Z")),
                        SqlLiteral.ofString(""));
            case INT, LONG, REAL, BOOL, GUID, TIMESPAN ->
                SqlCall.of("coalesce", new SqlCast(value, "VARCHAR", false), SqlLiteral.ofString(""));
        };
    }

    /**
     * The text of a dynamic value (a JSON string without its quotes). A member access is read with
     * one {@code json_extract_string} instead of extracting the member and then its text, which
     * halves the JSON work of {@code tostring(d.member)}.
     */
    private static SqlExpression jsonText(SqlExpression value) {
        if (value instanceof SqlCall call
                && call.function().equals("json_extract")
                && call.arguments().size() == 2) {
            return new SqlCall("json_extract_string", call.arguments());
        }
        return new SqlBinary("->>", value, SqlLiteral.ofString("$"));
    }

    private static SqlExpression convert(SqlExpression value, ColumnType type, String target) {
        if (type == ColumnType.DYNAMIC) {
            return new SqlCast(jsonText(value), target, true);
        }
        if (type == ColumnType.REAL && (target.equals("INTEGER") || target.equals("BIGINT"))) {
            // toint and tolong truncate the fraction, toint(-2.9) is -2; DuckDB's cast rounds (toint-function)
            return new SqlCast(SqlCall.of("trunc", value), target, true);
        }
        return new SqlCast(value, target, true);
    }

    /** todatetime honours UTC offsets: through TIMESTAMPTZ in the UTC session zone. */
    private static SqlExpression toDatetime(SqlExpression value, ColumnType type) {
        return switch (type) {
            case DATETIME -> value;
            case STRING, GUID -> textToDatetime(value);
            case DYNAMIC -> textToDatetime(jsonText(value));
            case INT, LONG, REAL, BOOL, TIMESPAN -> new SqlCast(SqlLiteral.NULL, "TIMESTAMP", false);
        };
    }

    /**
     * ISO 8601 and the other forms DuckDB reads, then US month/day/year with a time, which Kusto reads too:
     * parse-operator's examples turn "02/17/2016 08:40:01" into 2016-02-17 08:40:01.
     */
    private static SqlExpression textToDatetime(SqlExpression text) {
        return SqlCall.of(
                "coalesce",
                new SqlCast(new SqlCast(text, "TIMESTAMPTZ", true), "TIMESTAMP", true),
                SqlCall.of("try_strptime", text, SqlLiteral.ofString("%m/%d/%Y %H:%M:%S")));
    }

    /** todynamic/parse_json: text that is not JSON stays a string value (parse-json-function). */
    private static SqlExpression toDynamic(SqlExpression value, ColumnType type) {
        return switch (type) {
            case DYNAMIC -> value;
            case STRING ->
                new SqlCase(
                        List.of(new SqlWhen(SqlCall.of("json_valid", value), new SqlCast(value, "JSON", false))),
                        Optional.of(SqlCall.of("to_json", value)));
            case INT, LONG, REAL, BOOL, GUID, DATETIME, TIMESPAN -> SqlCall.of("to_json", value);
        };
    }

    /** A JSON pointer ({@code /key}) for a property: no JSONPath quoting rules to get wrong. */
    private static SqlExpression memberPath(SqlExpression key) {
        if (key instanceof SqlParameter parameter && parameter.value() instanceof String text) {
            return new SqlParameter("/" + text.replace("~", "~0").replace("/", "~1"));
        }
        SqlExpression escaped = SqlCall.of(
                "replace",
                SqlCall.of("replace", key, SqlLiteral.ofString("~"), SqlLiteral.ofString("~0")),
                SqlLiteral.ofString("/"),
                SqlLiteral.ofString("~1"));
        return SqlCall.of("concat", SqlLiteral.ofString("/"), escaped);
    }

    /** Negative indexes count from the end (dynamic array access), DuckDB's {@code $[#-n]}. */
    private static SqlExpression elementPath(SqlExpression index) {
        if (index instanceof SqlLiteral literal && literal.text().matches("-?\\d+")) {
            long value = Long.parseLong(literal.text());
            if (value < 0) {
                return SqlLiteral.ofString("$[#" + value + "]");
            }
            return SqlLiteral.ofString("$[" + value + "]");
        }
        SqlExpression position = new SqlCase(
                List.of(new SqlWhen(
                        new SqlBinary("<", index, SqlLiteral.of(0)),
                        SqlCall.of("concat", SqlLiteral.ofString("#"), new SqlCast(index, "VARCHAR", false)))),
                Optional.of(new SqlCast(index, "VARCHAR", false)));
        return SqlCall.of("concat", SqlLiteral.ofString("$["), position, SqlLiteral.ofString("]"));
    }

    /** bin: floor to a multiple of the size; datetimes from the Unix epoch (bin-function). */
    private static SqlExpression bin(List<SqlExpression> arguments, ColumnType type) {
        SqlExpression value = arguments.get(0);
        SqlExpression size = arguments.get(1);
        return switch (type) {
            case DATETIME -> SqlCall.of("time_bucket", size, value, new SqlLiteral("TIMESTAMP '1970-01-01 00:00:00'"));
            case INT, LONG ->
                new SqlCast(
                        new SqlBinary("*", SqlCall.of("floor", new SqlBinary("/", value, size)), size),
                        "BIGINT",
                        false);
            case REAL -> new SqlBinary("*", SqlCall.of("floor", new SqlBinary("/", value, size)), size);
            case TIMESPAN ->
                SqlCall.of(
                        "to_microseconds",
                        new SqlCast(
                                new SqlBinary(
                                        "*",
                                        SqlCall.of(
                                                "floor",
                                                new SqlBinary(
                                                        "/",
                                                        SqlCall.of("epoch_us", value),
                                                        SqlCall.of("epoch_us", size))),
                                        SqlCall.of("epoch_us", size)),
                                "BIGINT",
                                false));
            case STRING, BOOL, GUID, DYNAMIC -> new SqlCast(SqlLiteral.NULL, "VARCHAR", false);
        };
    }

    @Override
    public SqlExpression aggregate(
            AggregateFunction function, List<SqlExpression> arguments, List<ColumnType> types, ColumnType resultType) {
        return switch (function) {
            case COUNT -> new SqlAggregate("count", false, List.of(), Optional.empty());
            // DuckDB's count_if of no rows is null; KQL's countif is 0 (summarize-operator#aggregates-default-values)
            case COUNT_IF -> SqlCall.of("coalesce", SqlAggregate.of("count_if", arguments.get(0)), SqlLiteral.of(0L));
            case COUNT_DISTINCT -> new SqlAggregate("count", true, arguments, Optional.empty());
            case SUM -> new SqlCast(SqlAggregate.of("sum", arguments.get(0)), typeName(resultType), false);
            case AVG -> SqlAggregate.of("avg", arguments.get(0));
            // sample forms with Bessel's correction (stdev-aggregation-function); one value gives null
            case STDEV -> SqlAggregate.of("stddev_samp", arguments.get(0));
            case STDEVP -> SqlAggregate.of("stddev_pop", arguments.get(0));
            case VARIANCE -> SqlAggregate.of("var_samp", arguments.get(0));
            case VARIANCEP -> SqlAggregate.of("var_pop", arguments.get(0));
            case MIN -> SqlAggregate.of("min", arguments.get(0));
            case MAX -> SqlAggregate.of("max", arguments.get(0));
            case MAKE_SET -> {
                if (types.get(0) == ColumnType.DYNAMIC) {
                    yield setOfElements(arguments);
                }
                yield collect(arguments, true);
            }
            case MAKE_LIST -> collect(arguments, false);
            case ANY -> SqlAggregate.of("any_value", arguments.get(0));
            case MAKE_BAG -> makeBag(arguments.get(0), Optional.empty());
            case MAKE_BAG_IF -> makeBag(arguments.get(0), Optional.of(arguments.get(1)));
            case PERCENTILE -> DuckDbMoreFunctions.percentile(arguments.get(0), arguments.get(1));
            case ARG_MAX -> argExtreme("arg_max_null", arguments);
            case ARG_MIN -> argExtreme("arg_min_null", arguments);
            // {"bin index": value}; the two lists of one group are built in the same row order
            case SERIES_ENTRIES ->
                SqlCall.of(
                        "to_json",
                        SqlCall.of(
                                "map",
                                SqlAggregate.of("list", new SqlCast(arguments.get(0), "VARCHAR", false)),
                                SqlAggregate.of("list", arguments.get(1))));
        };
    }
}
