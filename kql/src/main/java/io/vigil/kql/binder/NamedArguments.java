package io.vigil.kql.binder;

import io.vigil.kql.syntax.Expression;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Named arguments of built-in functions ({@code make_set(x, maxSize=500)}): each function's parameter names
 * as its reference page spells them, so that a named argument can be put in its parameter's position before
 * binding. Names match ignoring case, since older pages and content spell them {@code MaxSize}.
 */
final class NamedArguments {
    private static final Map<String, List<String>> PARAMETERS = Map.ofEntries(
            Map.entry("make_set", List.of("expr", "maxSize")),
            Map.entry("makeset", List.of("expr", "maxSize")),
            Map.entry("make_list", List.of("expr", "maxSize")),
            Map.entry("makelist", List.of("expr", "maxSize")),
            Map.entry("make_bag", List.of("expr", "maxSize")),
            Map.entry("make_set_if", List.of("expr", "predicate", "maxSize")),
            Map.entry("make_list_if", List.of("expr", "predicate", "maxSize")),
            Map.entry("make_bag_if", List.of("expr", "predicate", "maxSize")),
            Map.entry("dcount", List.of("expr", "accuracy")),
            Map.entry("dcountif", List.of("expr", "predicate", "accuracy")),
            Map.entry("bin", List.of("value", "roundTo")),
            Map.entry("round", List.of("number", "precision")),
            Map.entry("substring", List.of("source", "startingIndex", "length")),
            Map.entry("split", List.of("source", "delimiter", "requestedIndex")),
            Map.entry("extract", List.of("regex", "captureGroup", "source", "typeLiteral")),
            Map.entry("array_slice", List.of("array", "start", "end")),
            Map.entry("format_ipv4_mask", List.of("ip", "prefix")),
            Map.entry("ipv4_is_match", List.of("ip1", "ip2", "prefix")),
            Map.entry("ipv4_compare", List.of("ip1", "ip2", "prefix")),
            Map.entry("hash", List.of("source", "mod")),
            Map.entry("hash_xxhash64", List.of("source", "mod")),
            Map.entry("datetime_add", List.of("period", "amount", "datetime")),
            Map.entry("datetime_diff", List.of("period", "datetime1", "datetime2")));

    private NamedArguments() {}

    /** What is wrong with a call's named arguments, if anything: the offending argument and why. */
    record Problem(Expression.NamedExpression argument, String reason) {}

    /** Whether the call is of a function with known parameter names and has a named argument. */
    static boolean applies(Expression.FunctionCall call) {
        return PARAMETERS.containsKey(call.name())
                && call.arguments().stream().anyMatch(argument -> argument instanceof Expression.NamedExpression);
    }

    /**
     * The call with its named arguments in their parameters' positions, or the first problem: a function
     * without known parameter names, an unknown or repeated name, a positional argument after a named one,
     * or a gap (a parameter before a named one given no value: Vigil has no defaults to fill it with).
     */
    static Optional<Problem> problem(Expression.FunctionCall call) {
        return arrange(call, new ArrayList<>());
    }

    static Expression.FunctionCall positional(Expression.FunctionCall call) {
        List<Expression> arranged = new ArrayList<>();
        Optional<Problem> problem = arrange(call, arranged);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get().reason());
        }
        return new Expression.FunctionCall(call.span(), call.name(), arranged);
    }

    private static Optional<Problem> arrange(Expression.FunctionCall call, List<Expression> arranged) {
        List<String> parameters = PARAMETERS.get(call.name());
        Expression[] slots = new Expression[parameters == null ? 0 : parameters.size()];
        int positional = 0;
        boolean sawNamed = false;
        for (Expression argument : call.arguments()) {
            if (!(argument instanceof Expression.NamedExpression named)) {
                if (sawNamed) {
                    return Optional.of(new Problem(null, "a positional argument after a named one"));
                }
                if (positional < slots.length) {
                    slots[positional] = argument;
                } else {
                    arranged.add(argument);
                }
                positional++;
                continue;
            }
            sawNamed = true;
            if (parameters == null || named.names().size() != 1) {
                return Optional.of(new Problem(named, "named arguments of '" + call.name() + "'"));
            }
            int index = indexOf(parameters, named.names().get(0));
            if (index < 0) {
                return Optional.of(
                        new Problem(named, "parameter '" + named.names().get(0) + "' of '" + call.name() + "'"));
            }
            if (slots[index] != null) {
                return Optional.of(new Problem(named, "a second value for '" + parameters.get(index) + "'"));
            }
            slots[index] = named.value();
        }
        int last = slots.length - 1;
        while (last >= 0 && slots[last] == null) {
            last--;
        }
        for (int index = 0; index <= last; index++) {
            if (slots[index] == null) {
                return Optional.of(
                        new Problem(null, "no value for '" + parameters.get(index) + "' before a named one"));
            }
        }
        List<Expression> ordered = new ArrayList<>(Arrays.asList(slots).subList(0, last + 1));
        ordered.addAll(arranged);
        arranged.clear();
        arranged.addAll(ordered);
        return Optional.empty();
    }

    private static int indexOf(List<String> parameters, String name) {
        for (int index = 0; index < parameters.size(); index++) {
            if (parameters.get(index).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return index;
            }
        }
        return -1;
    }
}
