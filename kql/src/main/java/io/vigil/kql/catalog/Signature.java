package io.vigil.kql.catalog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a function; {@code repeatedFrom} is the number of parameters before a {@code ...}, which
 * repeats the {@code repeatedCount} parameters before it ({@code strcat(value: scalar, ...)}; {@code ...2} in
 * {@code bag_pack(key: string, value: scalar, ...2)} repeats pairs), or -1 when none repeat.
 */
public record Signature(List<Parameter> parameters, int repeatedFrom, int repeatedCount) {
    private static final String REPEAT = "...";

    public Signature {
        parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
        if (repeatedFrom == 0 || repeatedFrom < -1 || repeatedFrom > parameters.size()) {
            throw new IllegalArgumentException("repeatedFrom out of range: " + repeatedFrom);
        }
        if (repeatedFrom > 0 && (repeatedCount < 1 || repeatedCount > repeatedFrom)) {
            throw new IllegalArgumentException("'..." + repeatedCount + "' repeats more parameters than come before");
        }
    }

    /** The fewest arguments a call may have. */
    public int minimumArguments() {
        return (int)
                parameters.stream().filter(parameter -> !parameter.optional()).count();
    }

    /** The most arguments a call may have; {@link Integer#MAX_VALUE} when parameters repeat. */
    public int maximumArguments() {
        if (repeatedFrom >= 0) {
            return Integer.MAX_VALUE;
        }
        return parameters.size();
    }

    /** Whether a call may have that many arguments: the required ones, optional ones, and whole repeats. */
    public boolean accepts(int count) {
        int minimum = minimumArguments();
        if (count < minimum) {
            return false;
        }
        if (repeatedFrom < 0) {
            return count <= parameters.size();
        }
        return (count - minimum) % repeatedCount == 0;
    }

    /** As the docs show it: {@code (text: string, [start: long])}. */
    public String text() {
        List<String> parts = new ArrayList<>();
        for (int index = 0; index < parameters.size(); index++) {
            parts.add(parameters.get(index).text());
            if (index + 1 == repeatedFrom) {
                if (repeatedCount == 1) {
                    parts.add(REPEAT);
                } else {
                    parts.add(REPEAT + repeatedCount);
                }
            }
        }
        return "(" + String.join(", ", parts) + ")";
    }

    /** Reads {@code (name: kind, [name: kind], ...)}; {@code ...} repeats the parameter before it. */
    static Signature parse(String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("(") || !trimmed.endsWith(")")) {
            throw new IllegalArgumentException("a signature is in parentheses: '" + text + "'");
        }
        String inside = trimmed.substring(1, trimmed.length() - 1).strip();
        List<Parameter> parameters = new ArrayList<>();
        int repeatedFrom = -1;
        int repeatedCount = 0;
        if (inside.isEmpty()) {
            return new Signature(parameters, repeatedFrom, repeatedCount);
        }
        for (String part : inside.split(",")) {
            String item = part.strip();
            if (item.startsWith(REPEAT)) {
                if (parameters.isEmpty() || repeatedFrom >= 0) {
                    throw new IllegalArgumentException("one '...' after a parameter: '" + text + "'");
                }
                repeatedFrom = parameters.size();
                repeatedCount = 1;
                if (item.length() > REPEAT.length()) {
                    repeatedCount = Integer.parseInt(item.substring(REPEAT.length()));
                }
                continue;
            }
            boolean optional = item.startsWith("[") && item.endsWith("]");
            if (optional) {
                item = item.substring(1, item.length() - 1);
            }
            String[] nameAndKind = item.split(":");
            if (nameAndKind.length != 2) {
                throw new IllegalArgumentException("a parameter is name: kind, not '" + item + "'");
            }
            parameters.add(
                    new Parameter(nameAndKind[0].strip(), ParameterKind.ofWord(nameAndKind[1].strip()), optional));
        }
        return new Signature(parameters, repeatedFrom, repeatedCount);
    }
}
