package io.vigil.detect.sigma;

import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma string value split into literal text and wildcards. Sigma's escapes: {@code \*}, {@code \?}
 * and {@code \\} are literal; any other backslash is itself (so Windows paths need no escaping).
 */
record SigmaString(List<Part> parts) {
    SigmaString {
        parts = List.copyOf(parts);
    }

    sealed interface Part {}

    record Literal(String text) implements Part {}

    /** {@code *}: any run of characters. */
    record AnyRun() implements Part {}

    /** {@code ?}: any one character. */
    record AnyOne() implements Part {}

    static SigmaString parse(String raw) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int index = 0; index < raw.length(); index++) {
            char character = raw.charAt(index);
            if (character == '\\' && index + 1 < raw.length() && "*?\\".indexOf(raw.charAt(index + 1)) >= 0) {
                literal.append(raw.charAt(++index));
            } else if (character == '*' || character == '?') {
                if (!literal.isEmpty()) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(character == '*' ? new AnyRun() : new AnyOne());
            } else {
                literal.append(character);
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new SigmaString(parts);
    }

    static SigmaString literal(String text) {
        return new SigmaString(text.isEmpty() ? List.of() : List.of(new Literal(text)));
    }

    boolean hasWildcards() {
        return parts.stream().anyMatch(part -> !(part instanceof Literal));
    }

    /** The text when there are no wildcards. */
    String plain() {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                text.append(literal.text());
            }
        }
        return text.toString();
    }

    SigmaString withLeadingRun() {
        if (!parts.isEmpty() && parts.get(0) instanceof AnyRun) {
            return this;
        }
        List<Part> result = new ArrayList<>();
        result.add(new AnyRun());
        result.addAll(parts);
        return new SigmaString(result);
    }

    SigmaString withTrailingRun() {
        if (!parts.isEmpty() && parts.get(parts.size() - 1) instanceof AnyRun) {
            return this;
        }
        List<Part> result = new ArrayList<>(parts);
        result.add(new AnyRun());
        return new SigmaString(result);
    }
}
