package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.plan.WindowFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Scalar functions bound outside {@link Binder}'s main switch: property bags, JSON paths, URLs, IPv4
 * addresses and the window functions over serialized rows. Each cites its page under
 * https://learn.microsoft.com/kusto/query/.
 */
final class MoreFunctions {
    private final BindAccess access;

    MoreFunctions(BindAccess access) {
        this.access = requireNonNull(access, "access is null");
    }

    /** The bound call, or empty when the name is not one of these functions. */
    Optional<ScalarExpression> bind(Expression.FunctionCall call) {
        ScalarExpression bound = switch (call.name()) {
            case "bag_merge" -> bagMerge(call);
            case "bag_remove_keys" -> bagRemoveKeys(call);
            case "bag_keys" -> {
                access.arity(call, 1, 1);
                yield new Call(ScalarFunction.BAG_KEYS, List.of(dynamic(call, 0)), ColumnType.DYNAMIC);
            }
            case "extract_json", "extractjson" -> extractJson(call);
            case "array_slice" -> {
                access.arity(call, 3, 3);
                yield new Call(
                        ScalarFunction.ARRAY_SLICE,
                        List.of(dynamic(call, 0), integer(call, 1), integer(call, 2)),
                        ColumnType.DYNAMIC);
            }
            case "parse_url", "parseurl" -> {
                access.arity(call, 1, 1);
                yield new Call(ScalarFunction.PARSE_URL, List.of(string(call, 0)), ColumnType.DYNAMIC);
            }
            case "parse_path" -> {
                access.arity(call, 1, 1);
                yield new Call(ScalarFunction.PARSE_PATH, List.of(string(call, 0)), ColumnType.DYNAMIC);
            }
            case "parse_urlquery", "parseurlquery" -> {
                access.arity(call, 1, 1);
                yield new Call(ScalarFunction.PARSE_URL_QUERY, List.of(string(call, 0)), ColumnType.DYNAMIC);
            }
            case "parse_xml" -> {
                access.arity(call, 1, 1);
                yield new Call(ScalarFunction.PARSE_XML, List.of(string(call, 0)), ColumnType.DYNAMIC);
            }
            // the bag comes from the GeoIP database the operator configures (geo-info-from-ip-address-function)
            case "geo_info_from_ip_address" -> {
                access.arity(call, 1, 1);
                yield new Call(ScalarFunction.GEO_INFO_FROM_IP_ADDRESS, List.of(string(call, 0)), ColumnType.DYNAMIC);
            }
            case "ipv4_compare", "ipv4_is_match" -> ipv4Compare(call);
            case "ipv4_is_in_range" -> {
                access.arity(call, 2, 2);
                yield new Call(
                        ScalarFunction.IPV4_IS_IN_RANGE, List.of(string(call, 0), string(call, 1)), ColumnType.BOOL);
            }
            case "prev", "next" -> previousOrNext(call);
            case "row_number" -> rowNumber(call);
            case "row_cumsum" -> rowCumulativeSum(call);
            case "row_window_session" -> rowWindowSession(call);
            case "row_rank_dense" -> rowRank(call, WindowFunction.ROW_RANK_DENSE);
            case "row_rank_min" -> rowRank(call, WindowFunction.ROW_RANK_MIN);
            default -> new CalendarTextFunctions(access).bind(call).orElse(null);
        };
        return Optional.ofNullable(bound);
    }

    private ScalarExpression dynamic(Expression.FunctionCall call, int index) {
        return access.convert(access.argument(call, index), ColumnType.DYNAMIC);
    }

    private ScalarExpression string(Expression.FunctionCall call, int index) {
        return access.asString(access.argument(call, index));
    }

    private ScalarExpression integer(Expression.FunctionCall call, int index) {
        ScalarExpression value = access.argument(call, index);
        if (value.type() != ColumnType.INT && value.type() != ColumnType.LONG && value.type() != ColumnType.DYNAMIC) {
            throw access.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    call.arguments().get(index).span(),
                    "Expected an integer, got " + value.type().kqlName());
        }
        return access.convert(value, ColumnType.LONG);
    }

    private ScalarExpression bool(Expression.FunctionCall call, int index) {
        ScalarExpression value = access.argument(call, index);
        if (value.type() != ColumnType.BOOL) {
            throw access.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    call.arguments().get(index).span(),
                    "Expected a bool, got " + value.type().kqlName());
        }
        return value;
    }

    /** bag_merge(bag1, bag2, ...): 2 to 64 bags; on a repeated key the first bag wins (bag-merge-function). */
    private ScalarExpression bagMerge(Expression.FunctionCall call) {
        access.arity(call, 2, 64);
        List<ScalarExpression> bags = new ArrayList<>();
        for (int index = 0; index < call.arguments().size(); index++) {
            bags.add(dynamic(call, index));
        }
        return new Call(ScalarFunction.BAG_MERGE, bags, ColumnType.DYNAMIC);
    }

    /** extract_json(path, text [, typeof(T)]): a string unless a type is given (extractjsonfunction). */
    private ScalarExpression extractJson(Expression.FunctionCall call) {
        access.arity(call, 2, 3);
        ScalarExpression element =
                new Call(ScalarFunction.JSON_PATH, List.of(string(call, 0), string(call, 1)), ColumnType.DYNAMIC);
        ColumnType target = ColumnType.STRING;
        if (call.arguments().size() == 3) {
            if (!(call.arguments().get(2) instanceof Expression.TypeOf typeOf)
                    || typeOf.types().size() != 1) {
                throw access.error(
                        DiagnosticCode.EXPECTED_CONSTANT,
                        call.arguments().get(2).span(),
                        "typeof(type)");
            }
            target = access.typeName(typeOf.types().get(0));
        }
        if (target == ColumnType.DYNAMIC) {
            return element;
        }
        return access.convert(element, target);
    }

    /**
     * bag_remove_keys(bag, keys) removes top-level keys (bag-remove-keys-function). The page also takes JSONPath
     * keys ({@code '$.key2.prop1'}) for nested properties: a constant array holding one is refused, since such a
     * key would otherwise be compared as a plain name.
     */
    private ScalarExpression bagRemoveKeys(Expression.FunctionCall call) {
        access.arity(call, 2, 2);
        ScalarExpression keys = dynamic(call, 1);
        if (keys instanceof Constant constant && constant.value() instanceof String text && text.contains("\"$")) {
            throw access.error(
                    DiagnosticCode.UNSUPPORTED_FEATURE,
                    call.arguments().get(1).span(),
                    "bag_remove_keys with JSONPath keys (nested properties)");
        }
        return new Call(ScalarFunction.BAG_REMOVE_KEYS, List.of(dynamic(call, 0), keys), ColumnType.DYNAMIC);
    }

    /**
     * ipv4_compare(a, b [, prefix]) and ipv4_is_match(a, b [, prefix]): both masked by the smallest of
     * their own prefixes and the argument (ipv4-compare-function, ipv4-is-match-function).
     */
    private ScalarExpression ipv4Compare(Expression.FunctionCall call) {
        access.arity(call, 2, 3);
        ScalarExpression prefix = Constant.ofLong(32L);
        if (call.arguments().size() == 3) {
            prefix = integer(call, 2);
        }
        ScalarExpression comparison = new Call(
                ScalarFunction.IPV4_COMPARE, List.of(string(call, 0), string(call, 1), prefix), ColumnType.LONG);
        if (call.name().equals("ipv4_is_match")) {
            return new Call(ScalarFunction.EQUAL, List.of(comparison, Constant.ofLong(0L)), ColumnType.BOOL);
        }
        return comparison;
    }

    private WindowCollector windows(Expression.FunctionCall call) {
        WindowCollector windows = access.windows()
                .orElseThrow(() -> access.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE,
                        call.span(),
                        call.name() + "() outside extend and project"));
        if (!windows.inputSerialized()) {
            throw access.error(DiagnosticCode.NOT_SERIALIZED, call.span(), call.name());
        }
        return windows;
    }

    /** prev(column [, offset [, default]]) and next(...): offset 1, default null (prevfunction, nextfunction). */
    private ScalarExpression previousOrNext(Expression.FunctionCall call) {
        access.arity(call, 1, 3);
        WindowCollector windows = windows(call);
        ScalarExpression value = access.argument(call, 0);
        ScalarExpression offset = Constant.ofLong(1L);
        if (call.arguments().size() > 1) {
            offset = integer(call, 1);
            if (!(offset instanceof Constant constant) || constant.value() == null || (Long) constant.value() < 0) {
                throw access.error(
                        DiagnosticCode.EXPECTED_CONSTANT,
                        call.arguments().get(1).span(),
                        "non-negative offset");
            }
        }
        // strings are never null in KQL: past the first or last row a string is empty
        ScalarExpression fallback = Constant.nullOf(value.type());
        if (value.type() == ColumnType.STRING) {
            fallback = Constant.ofString("");
        }
        if (call.arguments().size() > 2) {
            fallback = access.convert(access.argument(call, 2), value.type());
        }
        WindowFunction function = WindowFunction.NEXT;
        if (call.name().equals("prev")) {
            function = WindowFunction.PREVIOUS;
        }
        return windows.add(new PlanNode.WindowCall(function, List.of(value, offset, fallback), value.type()));
    }

    /** row_number([start [, restart]]): from 1 unless given, again from start where restart holds (rownumberfunction). */
    private ScalarExpression rowNumber(Expression.FunctionCall call) {
        access.arity(call, 0, 2);
        WindowCollector windows = windows(call);
        List<ScalarExpression> arguments = new ArrayList<>();
        arguments.add(Constant.ofLong(1L));
        if (!call.arguments().isEmpty()) {
            arguments.set(0, integer(call, 0));
        }
        if (call.arguments().size() > 1) {
            arguments.add(bool(call, 1));
        }
        return windows.add(new PlanNode.WindowCall(WindowFunction.ROW_NUMBER, arguments, ColumnType.LONG));
    }

    /** row_cumsum(term [, restart]): a running sum of a number or timespan (rowcumsumfunction). */
    private ScalarExpression rowCumulativeSum(Expression.FunctionCall call) {
        access.arity(call, 1, 2);
        WindowCollector windows = windows(call);
        ScalarExpression term = access.argument(call, 0);
        ColumnType type = switch (term.type()) {
            case INT, LONG -> ColumnType.LONG;
            case REAL, TIMESPAN -> term.type();
            case DYNAMIC -> ColumnType.REAL;
            case STRING, BOOL, DATETIME, GUID ->
                throw access.error(
                        DiagnosticCode.TYPE_MISMATCH,
                        call.arguments().get(0).span(),
                        "row_cumsum() takes a number or a timespan, got "
                                + term.type().kqlName());
        };
        List<ScalarExpression> arguments = new ArrayList<>();
        arguments.add(access.convert(term, type));
        if (call.arguments().size() > 1) {
            arguments.add(bool(call, 1));
        }
        return windows.add(new PlanNode.WindowCall(WindowFunction.ROW_CUMSUM, arguments, type));
    }

    /**
     * row_rank_dense(term [, restart]) and row_rank_min(term [, restart]) over serialized rows: the rank grows where
     * the term differs from the row before (row-rank-dense-function, row-rank-min-function).
     */
    private ScalarExpression rowRank(Expression.FunctionCall call, WindowFunction function) {
        access.arity(call, 1, 2);
        WindowCollector windows = windows(call);
        List<ScalarExpression> arguments = new ArrayList<>();
        arguments.add(access.argument(call, 0));
        arguments.add(Constant.ofBool(false));
        if (call.arguments().size() > 1) {
            arguments.set(1, bool(call, 1));
        }
        return windows.add(new PlanNode.WindowCall(function, arguments, ColumnType.LONG));
    }

    /**
     * row_window_session(value, maxDistanceFromFirst, maxDistanceBetweenNeighbors [, restart]): the value at
     * the start of the row's session (row-window-session-function).
     */
    private ScalarExpression rowWindowSession(Expression.FunctionCall call) {
        access.arity(call, 3, 4);
        WindowCollector windows = windows(call);
        ScalarExpression value = access.argument(call, 0);
        ColumnType distance = switch (value.type()) {
            case DATETIME, TIMESPAN -> ColumnType.TIMESPAN;
            case INT, LONG -> ColumnType.LONG;
            case REAL -> ColumnType.REAL;
            case STRING, BOOL, GUID, DYNAMIC ->
                throw access.error(
                        DiagnosticCode.TYPE_MISMATCH,
                        call.arguments().get(0).span(),
                        "row_window_session() takes a datetime or a number, got "
                                + value.type().kqlName());
        };
        List<ScalarExpression> arguments = new ArrayList<>();
        arguments.add(value);
        arguments.add(access.convert(access.argument(call, 1), distance));
        arguments.add(access.convert(access.argument(call, 2), distance));
        if (call.arguments().size() > 3) {
            arguments.add(bool(call, 3));
        }
        return windows.add(new PlanNode.WindowCall(WindowFunction.ROW_WINDOW_SESSION, arguments, value.type()));
    }
}
