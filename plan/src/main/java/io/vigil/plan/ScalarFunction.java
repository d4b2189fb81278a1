package io.vigil.plan;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.ColumnType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The scalar functions of the plan: an explicit registry of data, one constant per function with its
 * stable snake_case name, parameters, result rule and a one-line description that the CLI and docs
 * reuse. Names are relational or semantic (what the function computes), not KQL spellings: the front
 * end maps {@code =~} to {@code equal_ignore_case}. Every dialect renders every constant (exhaustive
 * switch), so adding one breaks the build where it must be handled.
 */
public enum ScalarFunction {
    AND("and", ColumnType.BOOL, ResultRule.FIXED, "Logical and with SQL three-valued logic", true, ParameterType.BOOL),
    OR("or", ColumnType.BOOL, ResultRule.FIXED, "Logical or with SQL three-valued logic", true, ParameterType.BOOL),
    NOT("not", ColumnType.BOOL, ResultRule.FIXED, "Logical negation", ParameterType.BOOL),
    EQUAL("equal", ColumnType.BOOL, ResultRule.FIXED, "a == b", ParameterType.ANY, ParameterType.ANY),
    KEY_EQUAL(
            "key_equal",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Equality of join keys: null never matches",
            ParameterType.ANY,
            ParameterType.ANY),
    NOT_EQUAL("not_equal", ColumnType.BOOL, ResultRule.FIXED, "a != b", ParameterType.ANY, ParameterType.ANY),
    LESS("less", ColumnType.BOOL, ResultRule.FIXED, "a < b", ParameterType.ANY, ParameterType.ANY),
    LESS_EQUAL("less_equal", ColumnType.BOOL, ResultRule.FIXED, "a <= b", ParameterType.ANY, ParameterType.ANY),
    GREATER("greater", ColumnType.BOOL, ResultRule.FIXED, "a > b", ParameterType.ANY, ParameterType.ANY),
    GREATER_EQUAL("greater_equal", ColumnType.BOOL, ResultRule.FIXED, "a >= b", ParameterType.ANY, ParameterType.ANY),
    ADD("add", null, ResultRule.COMMON, "a + b (numbers, datetime + timespan)", ParameterType.ANY, ParameterType.ANY),
    SUBTRACT(
            "subtract",
            null,
            ResultRule.COMMON,
            "a - b (numbers, datetimes, timespans)",
            ParameterType.ANY,
            ParameterType.ANY),
    MULTIPLY("multiply", null, ResultRule.COMMON, "a * b", ParameterType.ANY, ParameterType.ANY),
    DIVIDE(
            "divide",
            null,
            ResultRule.COMMON,
            "a / b; integer division for integers",
            ParameterType.ANY,
            ParameterType.ANY),
    MODULO("modulo", null, ResultRule.COMMON, "a % b", ParameterType.ANY, ParameterType.ANY),
    NEGATE("negate", null, ResultRule.FIRST_ARGUMENT, "-a", ParameterType.ANY),
    IS_NULL("is_null", ColumnType.BOOL, ResultRule.FIXED, "Whether a value is null", ParameterType.ANY),
    IS_EMPTY(
            "is_empty",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether a value is null or the empty string",
            ParameterType.ANY),
    EQUAL_IGNORE_CASE(
            "equal_ignore_case",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Case-insensitive string equality",
            ParameterType.STRING,
            ParameterType.STRING),
    HAS(
            "has",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether the right side is a whole term of the left, ignoring case",
            ParameterType.STRING,
            ParameterType.STRING),
    HAS_CS(
            "has_cs",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether the right side is a whole term of the left",
            ParameterType.STRING,
            ParameterType.STRING),
    HAS_PREFIX(
            "has_prefix",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether a term of the left starts with the right, ignoring case",
            ParameterType.STRING,
            ParameterType.STRING),
    HAS_SUFFIX(
            "has_suffix",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether a term of the left ends with the right, ignoring case",
            ParameterType.STRING,
            ParameterType.STRING),
    HAS_PREFIX_CS(
            "has_prefix_cs",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether a term of the left starts with the right",
            ParameterType.STRING,
            ParameterType.STRING),
    HAS_SUFFIX_CS(
            "has_suffix_cs",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether a term of the left ends with the right",
            ParameterType.STRING,
            ParameterType.STRING),
    CONTAINS(
            "contains",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Substring test ignoring case",
            ParameterType.STRING,
            ParameterType.STRING),
    CONTAINS_CS(
            "contains_cs",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Substring test",
            ParameterType.STRING,
            ParameterType.STRING),
    STARTS_WITH(
            "starts_with",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Prefix test ignoring case",
            ParameterType.STRING,
            ParameterType.STRING),
    STARTS_WITH_CS(
            "starts_with_cs",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Prefix test",
            ParameterType.STRING,
            ParameterType.STRING),
    ENDS_WITH(
            "ends_with",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Suffix test ignoring case",
            ParameterType.STRING,
            ParameterType.STRING),
    ENDS_WITH_CS(
            "ends_with_cs",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Suffix test",
            ParameterType.STRING,
            ParameterType.STRING),
    REGEX_MATCH(
            "regex_match",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether a string matches an RE2 pattern",
            ParameterType.STRING,
            ParameterType.STRING),
    IN(
            "in",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether the first value equals any of the others",
            true,
            ParameterType.ANY,
            ParameterType.ANY),
    IN_IGNORE_CASE(
            "in_ignore_case",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether the first string equals any of the others, ignoring case",
            true,
            ParameterType.STRING,
            ParameterType.STRING),
    HAS_ANY(
            "has_any",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether any of the others is a whole term of the first",
            true,
            ParameterType.STRING,
            ParameterType.STRING),
    IF(
            "if",
            null,
            ResultRule.SECOND_ARGUMENT,
            "The second argument when the first is true, else the third",
            ParameterType.BOOL,
            ParameterType.ANY,
            ParameterType.ANY),
    CASE(
            "case",
            null,
            ResultRule.SECOND_ARGUMENT,
            "Condition/value pairs and a final else value",
            true,
            ParameterType.ANY),
    COALESCE(
            "coalesce",
            null,
            ResultRule.FIRST_ARGUMENT,
            "The first argument that is not null",
            true,
            ParameterType.ANY),
    GREATEST(
            "greatest",
            null,
            ResultRule.FIRST_ARGUMENT,
            "The largest argument; nulls count only when all are null",
            true,
            ParameterType.ANY),
    LEAST(
            "least",
            null,
            ResultRule.FIRST_ARGUMENT,
            "The smallest argument; nulls count only when all are null",
            true,
            ParameterType.ANY),
    CONCAT("concat", ColumnType.STRING, ResultRule.FIXED, "Concatenation of strings", true, ParameterType.STRING),
    LENGTH("length", ColumnType.LONG, ResultRule.FIXED, "Number of characters of a string", ParameterType.STRING),
    SUBSTRING(
            "substring",
            ColumnType.STRING,
            ResultRule.FIXED,
            "Part of a string from a 0-based start, with an" + " optional length",
            true,
            ParameterType.STRING,
            ParameterType.LONG),
    LOWER("lower", ColumnType.STRING, ResultRule.FIXED, "Lower-case form of a string", ParameterType.STRING),
    UPPER("upper", ColumnType.STRING, ResultRule.FIXED, "Upper-case form of a string", ParameterType.STRING),
    REPLACE(
            "replace",
            ColumnType.STRING,
            ResultRule.FIXED,
            "Every occurrence of a string replaced by another",
            ParameterType.STRING,
            ParameterType.STRING,
            ParameterType.STRING),
    REGEX_EXTRACT(
            "regex_extract",
            ColumnType.STRING,
            ResultRule.FIXED,
            "Capture group of the first RE2 match, empty when none (arguments: text, pattern, group)",
            ParameterType.STRING,
            ParameterType.STRING,
            ParameterType.LONG),
    SPLIT(
            "split",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Array of the parts of a string split by a delimiter",
            ParameterType.STRING,
            ParameterType.STRING),
    TO_STRING(
            "to_string",
            ColumnType.STRING,
            ResultRule.FIXED,
            "Text form of any value, empty for null",
            ParameterType.ANY),
    TO_INT("to_int", ColumnType.INT, ResultRule.FIXED, "Conversion to int, null when impossible", ParameterType.ANY),
    TO_LONG(
            "to_long",
            ColumnType.LONG,
            ResultRule.FIXED,
            "Conversion to long, null when impossible",
            ParameterType.ANY),
    TO_REAL(
            "to_real",
            ColumnType.REAL,
            ResultRule.FIXED,
            "Conversion to real, null when impossible",
            ParameterType.ANY),
    TO_BOOL(
            "to_bool",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Conversion to bool, null when impossible",
            ParameterType.ANY),
    TO_DATETIME(
            "to_datetime",
            ColumnType.DATETIME,
            ResultRule.FIXED,
            "Conversion to datetime, null when impossible",
            ParameterType.ANY),
    TO_TIMESPAN(
            "to_timespan",
            ColumnType.TIMESPAN,
            ResultRule.FIXED,
            "Conversion to timespan, null when impossible",
            ParameterType.ANY),
    TO_DYNAMIC(
            "to_dynamic",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "A string parsed as JSON, null when it is not JSON; other values as dynamic",
            ParameterType.ANY),
    DYNAMIC_MEMBER(
            "dynamic_member",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Property of a dynamic object",
            ParameterType.DYNAMIC,
            ParameterType.STRING),
    DYNAMIC_ELEMENT(
            "dynamic_element",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Element of a dynamic array; negative indexes count from the end",
            ParameterType.DYNAMIC,
            ParameterType.LONG),
    ARRAY_LENGTH(
            "array_length",
            ColumnType.LONG,
            ResultRule.FIXED,
            "Number of elements of a dynamic array, null when it is not an array",
            ParameterType.DYNAMIC),
    ROUND(
            "round",
            ColumnType.REAL,
            ResultRule.FIXED,
            "Number rounded to a number of decimal digits",
            ParameterType.REAL,
            ParameterType.LONG),
    ABS("abs", null, ResultRule.FIRST_ARGUMENT, "Absolute value", ParameterType.ORDERED),
    REGEX_TRIM_START(
            "regex_trim_start",
            ColumnType.STRING,
            ResultRule.FIXED,
            "Text without the leading run of matches of an RE2 pattern (arguments: text, pattern)",
            ParameterType.STRING,
            ParameterType.STRING),
    REGEX_TRIM_END(
            "regex_trim_end",
            ColumnType.STRING,
            ResultRule.FIXED,
            "Text without the trailing run of matches of an RE2 pattern (arguments: text, pattern)",
            ParameterType.STRING,
            ParameterType.STRING),
    REGEX_REPLACE(
            "regex_replace",
            ColumnType.STRING,
            ResultRule.FIXED,
            "Text with every match of an RE2 pattern replaced; \\1 names a group (arguments: text, pattern, rewrite)",
            ParameterType.STRING,
            ParameterType.STRING,
            ParameterType.STRING),
    COUNT_OF(
            "count_of",
            ColumnType.LONG,
            ResultRule.FIXED,
            "Number of non-overlapping occurrences of a substring",
            ParameterType.STRING,
            ParameterType.STRING),
    REGEX_COUNT(
            "regex_count",
            ColumnType.LONG,
            ResultRule.FIXED,
            "Number of matches of an RE2 pattern (arguments: text, pattern)",
            ParameterType.STRING,
            ParameterType.STRING),
    DATETIME_DIFF(
            "datetime_diff",
            ColumnType.LONG,
            ResultRule.FIXED,
            "Number of period boundaries between two datetimes, a - b (arguments: period name, a, b)",
            ParameterType.STRING,
            ParameterType.DATETIME,
            ParameterType.DATETIME),
    START_OF_PERIOD(
            "start_of_period",
            ColumnType.DATETIME,
            ResultRule.FIXED,
            "Start of the day, week (Sunday), month or year of a datetime, shifted by a number of them"
                    + " (arguments: period name, datetime, offset)",
            ParameterType.STRING,
            ParameterType.DATETIME,
            ParameterType.LONG),
    FORMAT_DATETIME(
            "format_datetime",
            ColumnType.STRING,
            ResultRule.FIXED,
            "A datetime as text in a constant KQL format (see DatetimeFormat)",
            ParameterType.DATETIME,
            ParameterType.STRING),
    EXTRACT_ALL(
            "extract_all",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Array of the given capture groups of every match of an RE2 pattern; one group gives an array of"
                    + " strings, several an array of arrays, no match null (arguments: text, pattern, group...)",
            true,
            ParameterType.STRING,
            ParameterType.STRING,
            ParameterType.LONG),
    STRCAT_ARRAY(
            "strcat_array",
            ColumnType.STRING,
            ResultRule.FIXED,
            "The elements of a dynamic array as text joined by a delimiter",
            ParameterType.DYNAMIC,
            ParameterType.STRING),
    ARRAY_INDEX_OF(
            "array_index_of",
            ColumnType.LONG,
            ResultRule.FIXED,
            "0-based index of the first element equal to the value, -1 when absent, null when not an array",
            ParameterType.DYNAMIC,
            ParameterType.ANY),
    TRANSLATE(
            "translate",
            ColumnType.STRING,
            ResultRule.FIXED,
            "The text with each character of a search list replaced by the one at its position in a replacement"
                    + " list, whose last character repeats; an empty one deletes (arguments: search, replacement, text)",
            ParameterType.STRING,
            ParameterType.STRING,
            ParameterType.STRING),
    BASE64_DECODE_TO_STRING(
            "base64_decode_to_string",
            ColumnType.STRING,
            ResultRule.FIXED,
            "The UTF-8 text a base64 string encodes; empty when it is not base64 or not UTF-8",
            ParameterType.STRING),
    BAG_PACK(
            "bag_pack",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Dynamic object of alternating keys and values",
            true,
            ParameterType.ANY),
    ARRAY_PACK(
            "array_pack", ColumnType.DYNAMIC, ResultRule.FIXED, "Dynamic array of the values", true, ParameterType.ANY),
    SPLIT_PART(
            "split_part",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Array of the one part at a 0-based index of a split string, empty when out of range",
            ParameterType.STRING,
            ParameterType.STRING,
            ParameterType.LONG),
    BAG_MERGE(
            "bag_merge",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Property bag of all keys of the bags; a key in several keeps the first bag's value",
            true,
            ParameterType.DYNAMIC),
    BAG_REMOVE_KEYS(
            "bag_remove_keys",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "The bag without the top-level keys listed in a dynamic array; null for a value that is not a bag",
            ParameterType.DYNAMIC,
            ParameterType.DYNAMIC),
    BAG_KEYS("bag_keys", ColumnType.DYNAMIC, ResultRule.FIXED, "Array of the keys of a bag", ParameterType.DYNAMIC),
    DYNAMIC_CONTAINS(
            "dynamic_contains",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether the text is an element of a dynamic array (or equals a dynamic scalar), by text",
            ParameterType.DYNAMIC,
            ParameterType.STRING),
    DYNAMIC_CONTAINS_IGNORE_CASE(
            "dynamic_contains_ignore_case",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "dynamic_contains ignoring case",
            ParameterType.DYNAMIC,
            ParameterType.STRING),
    HAS_ANY_DYNAMIC(
            "has_any_dynamic",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether any element of a dynamic array (by text) is a whole term of the text",
            ParameterType.STRING,
            ParameterType.DYNAMIC),
    HAS_ALL_DYNAMIC(
            "has_all_dynamic",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether every element of a non-empty dynamic array (by text) is a whole term of the text",
            ParameterType.STRING,
            ParameterType.DYNAMIC),
    JSON_PATH(
            "json_path",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "The element a JSONPath selects in JSON text, null when absent",
            ParameterType.STRING,
            ParameterType.STRING),
    ARRAY_SLICE(
            "array_slice",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Elements start..end (inclusive, 0-based, negative from the end) of a dynamic array",
            ParameterType.DYNAMIC,
            ParameterType.LONG,
            ParameterType.LONG),
    PARSE_URL(
            "parse_url",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Bag of Scheme, Host, Port, Path, Username, Password, Query Parameters and Fragment of a URL",
            ParameterType.STRING),
    PARSE_PATH(
            "parse_path",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Bag of Scheme, RootPath, DirectoryPath, DirectoryName, Filename, Extension and AlternateDataStreamName"
                    + " of a file path",
            ParameterType.STRING),
    PARSE_URL_QUERY(
            "parse_url_query",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Bag of the decoded key=value pairs of a URL query string",
            ParameterType.STRING),
    PARSE_XML(
            "parse_xml",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "XML text as a bag: attributes as @name, text as #text, repeated elements as arrays; null when not XML",
            ParameterType.STRING),
    GEO_INFO_FROM_IP_ADDRESS(
            "geo_info_from_ip_address",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Bag of country, state, city, latitude and longitude of an IP address from the configured GeoIP"
                    + " database; empty when unknown, invalid or no database is configured",
            ParameterType.STRING),
    IPV4_COMPARE(
            "ipv4_compare",
            ColumnType.LONG,
            ResultRule.FIXED,
            "-1, 0 or 1 comparing two IPv4 addresses under the smallest prefix; null when one does not parse",
            ParameterType.STRING,
            ParameterType.STRING,
            ParameterType.LONG),
    IPV4_IS_IN_RANGE(
            "ipv4_is_in_range",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether an IPv4 address is in a range in prefix notation; null when one does not parse",
            ParameterType.STRING,
            ParameterType.STRING),
    BIN(
            "bin",
            null,
            ResultRule.FIRST_ARGUMENT,
            "Value rounded down to a multiple of the bin size",
            ParameterType.ORDERED,
            ParameterType.ORDERED),
    // time series: make-series, range and the series_* functions (series-analysis functions)
    SERIES_BIN_INDEX(
            "series_bin_index",
            ColumnType.LONG,
            ResultRule.FIXED,
            "Index of the make-series bin holding a value: floor((value - start) / step)",
            ParameterType.ORDERED,
            ParameterType.ORDERED,
            ParameterType.ORDERED),
    SERIES_BIN_COUNT(
            "series_bin_count",
            ColumnType.LONG,
            ResultRule.FIXED,
            "Number of make-series bins from start (inclusive) to stop (exclusive): ceil((stop - start) / step)",
            ParameterType.ORDERED,
            ParameterType.ORDERED,
            ParameterType.ORDERED),
    SERIES_FILL(
            "series_fill",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Array of a length: the values of an object keyed by bin index (from an optional fourth argument, the first"
                    + " bin index, else 0), the default where a bin has none",
            ParameterType.DYNAMIC,
            ParameterType.LONG,
            ParameterType.ANY),
    SERIES_AXIS(
            "series_axis",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Array start + first * step, ... of a length (the make-series axis; first is an optional fourth argument, else 0)",
            ParameterType.ORDERED,
            ParameterType.ORDERED,
            ParameterType.LONG),
    RANGE_ARRAY(
            "range_array",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Array start, start + step, ... up to stop inclusive",
            ParameterType.ORDERED,
            ParameterType.ORDERED,
            ParameterType.ORDERED),
    SERIES_FIT_LINE(
            "series_fit_line",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Linear regression of a numeric array: object of rsquare, slope, variance, rvariance, interception, line_fit",
            ParameterType.DYNAMIC),
    SERIES_STATS(
            "series_stats",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Statistics of a numeric array (ignoring non-finite values or not): min, min_idx, max, max_idx, avg, stdev,"
                    + " variance, sum, len",
            ParameterType.DYNAMIC,
            ParameterType.BOOL),
    SERIES_OUTLIERS(
            "series_outliers",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Tukey fence scores of a numeric array (series, kind, ignore value, min and max percentile)",
            ParameterType.DYNAMIC,
            ParameterType.STRING,
            ParameterType.REAL,
            ParameterType.REAL,
            ParameterType.REAL),
    SERIES_DECOMPOSE_ANOMALIES(
            "series_decompose_anomalies",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Anomalies of a numeric array after seasonal and trend decomposition: object of ad_flag, ad_score, baseline",
            ParameterType.DYNAMIC,
            ParameterType.REAL,
            ParameterType.LONG,
            ParameterType.STRING,
            ParameterType.LONG,
            ParameterType.STRING,
            ParameterType.REAL),
    HASH_XXHASH64_TEXT(
            "hash",
            ColumnType.LONG,
            ResultRule.FIXED,
            "xxHash64 of the UTF-8 text as a long, or its unsigned value modulo the second argument when not null",
            ParameterType.STRING,
            ParameterType.LONG),
    HASH_XXHASH64_LONG(
            "hash_of_long",
            ColumnType.LONG,
            ResultRule.FIXED,
            "xxHash64 of the eight little-endian bytes of a long, like HASH_XXHASH64_TEXT",
            ParameterType.LONG,
            ParameterType.LONG),
    HASH_XXHASH64_DATETIME(
            "hash_of_datetime",
            ColumnType.LONG,
            ResultRule.FIXED,
            "xxHash64 of the eight little-endian bytes of a datetime's .NET ticks, like HASH_XXHASH64_TEXT",
            ParameterType.DATETIME,
            ParameterType.LONG),
    HASH_SHA1(
            "hash_sha1",
            ColumnType.STRING,
            ResultRule.FIXED,
            "SHA-1 of the UTF-8 text, lower-case hex",
            ParameterType.STRING),
    HASH_SHA256(
            "hash_sha256",
            ColumnType.STRING,
            ResultRule.FIXED,
            "SHA-256 of the UTF-8 text, lower-case hex",
            ParameterType.STRING),
    HASH_MD5(
            "hash_md5",
            ColumnType.STRING,
            ResultRule.FIXED,
            "MD5 of the UTF-8 text, lower-case hex",
            ParameterType.STRING),
    BASE64_ENCODE_TO_STRING(
            "base64_encode_to_string",
            ColumnType.STRING,
            ResultRule.FIXED,
            "Base64 of the UTF-8 text",
            ParameterType.STRING),
    REVERSE(
            "reverse",
            ColumnType.STRING,
            ResultRule.FIXED,
            "The text's characters in reverse order",
            ParameterType.STRING),
    URL_DECODE("url_decode", ColumnType.STRING, ResultRule.FIXED, "Percent-decoded text", ParameterType.STRING),
    STRCAT_DELIM(
            "strcat_delim",
            ColumnType.STRING,
            ResultRule.FIXED,
            "The values after the first joined by the first (arguments: delimiter, value...)",
            true,
            ParameterType.STRING),
    SET_DIFFERENCE(
            "set_difference",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Distinct values of the first array that are in none of the others",
            true,
            ParameterType.DYNAMIC),
    SET_UNION(
            "set_union",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Distinct values of all the arrays",
            true,
            ParameterType.DYNAMIC),
    SET_INTERSECT(
            "set_intersect",
            ColumnType.DYNAMIC,
            ResultRule.FIXED,
            "Distinct values that are in every array",
            true,
            ParameterType.DYNAMIC),
    IPV4_IS_PRIVATE(
            "ipv4_is_private",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether an IPv4 address is in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
            ParameterType.STRING),
    IPV4_IS_IN_ANY_RANGE(
            "ipv4_is_in_any_range",
            ColumnType.BOOL,
            ResultRule.FIXED,
            "Whether an IPv4 address is in any of the ranges (arguments: address, range...)",
            true,
            ParameterType.STRING),
    PARSE_IPV4(
            "parse_ipv4",
            ColumnType.LONG,
            ResultRule.FIXED,
            "An IPv4 address as a number, masked by its /prefix when it has one; null when it does not parse",
            ParameterType.STRING),
    FORMAT_IPV4(
            "format_ipv4",
            ColumnType.STRING,
            ResultRule.FIXED,
            "An IPv4 address masked by the smaller of its /prefix and the given one; empty when it does not parse",
            ParameterType.STRING,
            ParameterType.LONG),
    FORMAT_IPV4_MASK(
            "format_ipv4_mask",
            ColumnType.STRING,
            ResultRule.FIXED,
            "format_ipv4 with the prefix used appended as /prefix (CIDR notation)",
            ParameterType.STRING,
            ParameterType.LONG),
    RANDOM("random", ColumnType.REAL, ResultRule.FIXED, "A random real in [0, 1), new for every row"),
    INDEX_OF(
            "index_of",
            ColumnType.LONG,
            ResultRule.FIXED,
            "0-based position of the first occurrence of the lookup text, -1 when absent",
            ParameterType.STRING,
            ParameterType.STRING),
    DATETIME_PART(
            "datetime_part",
            ColumnType.INT,
            ResultRule.FIXED,
            "One calendar field of a datetime: year, month, day, dayofyear, hour or ISO week (arguments: field,"
                    + " datetime)",
            ParameterType.STRING,
            ParameterType.DATETIME),
    DAY_OF_WEEK(
            "day_of_week",
            ColumnType.TIMESPAN,
            ResultRule.FIXED,
            "Days since the preceding Sunday, as a timespan",
            ParameterType.DATETIME),
    DATETIME_ADD(
            "datetime_add",
            ColumnType.DATETIME,
            ResultRule.FIXED,
            "A datetime plus a number of periods (arguments: period, amount, datetime)",
            ParameterType.STRING,
            ParameterType.LONG,
            ParameterType.DATETIME),
    UNIX_TIME_TO_DATETIME(
            "unix_time_to_datetime",
            ColumnType.DATETIME,
            ResultRule.FIXED,
            "The datetime a number of units after 1970-01-01 (arguments: amount, microseconds per unit)",
            ParameterType.REAL,
            ParameterType.LONG);

    private static final Map<String, ScalarFunction> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ScalarFunction::functionName, Function.identity()));

    private final String functionName;
    private final ColumnType resultType;
    private final ResultRule resultRule;
    private final String description;
    private final boolean variadic;
    private final List<ParameterType> parameters;

    ScalarFunction(
            String functionName,
            ColumnType resultType,
            ResultRule resultRule,
            String description,
            ParameterType... parameters) {
        this(functionName, resultType, resultRule, description, false, parameters);
    }

    ScalarFunction(
            String functionName,
            ColumnType resultType,
            ResultRule resultRule,
            String description,
            boolean variadic,
            ParameterType... parameters) {
        this.functionName = requireNonNull(functionName, "functionName is null");
        this.resultType = resultType;
        this.resultRule = requireNonNull(resultRule, "resultRule is null");
        this.description = requireNonNull(description, "description is null");
        this.variadic = variadic;
        this.parameters = List.of(parameters);
    }

    /** The stable snake_case name. */
    public String functionName() {
        return functionName;
    }

    /** The declared result type; empty when the {@link #resultRule()} derives it from the arguments. */
    public Optional<ColumnType> resultType() {
        return Optional.ofNullable(resultType);
    }

    public ResultRule resultRule() {
        return resultRule;
    }

    public String description() {
        return description;
    }

    /** Whether the last parameter repeats. */
    public boolean variadic() {
        return variadic;
    }

    public List<ParameterType> parameters() {
        return parameters;
    }

    /** The signature as the docs print it, e.g. {@code concat(string...) -> string}. */
    public String signature() {
        StringBuilder text = new StringBuilder(functionName).append('(');
        for (int index = 0; index < parameters.size(); index++) {
            if (index > 0) {
                text.append(", ");
            }
            text.append(parameters.get(index).name().toLowerCase(java.util.Locale.ROOT));
        }
        if (variadic) {
            text.append("...");
        }
        text.append(") -> ");
        if (resultType == null) {
            text.append(resultRule.name().toLowerCase(java.util.Locale.ROOT));
        } else {
            text.append(resultType.kqlName());
        }
        return text.toString();
    }

    public static Optional<ScalarFunction> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
