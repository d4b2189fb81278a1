package io.vigil.kql.catalog;

import static java.util.Objects.requireNonNull;

/**
 * How KQL names the column of an unnamed call: {@code summarize count()} is {@code count_}, {@code sum(x)}
 * is {@code sum_x}, {@code by tostring(x)} is {@code x} (summarize-operator, extend-operator).
 */
public sealed interface ResultNaming {
    /** No rule of its own: {@code ColumnN}, or what the surrounding expression gives. */
    record Positional() implements ResultNaming {}

    /** The first argument's name: conversions and {@code bin} keep it. */
    record ArgumentName() implements ResultNaming {}

    /** {@code prefix_argument}, or {@code prefix_} without an argument. */
    record Prefixed(String prefix) implements ResultNaming {
        public Prefixed {
            requireNonNull(prefix, "prefix is null");
        }
    }

    /** As the registry spells it: {@code -}, {@code argument} or {@code prefix:p}. */
    default String text() {
        return switch (this) {
            case Positional positional -> "-";
            case ArgumentName argument -> "argument";
            case Prefixed prefixed -> "prefix:" + prefixed.prefix();
        };
    }

    static ResultNaming parse(String text) {
        if (text.equals("-")) {
            return new Positional();
        }
        if (text.equals("argument")) {
            return new ArgumentName();
        }
        if (text.startsWith("prefix:") && text.length() > "prefix:".length()) {
            return new Prefixed(text.substring("prefix:".length()));
        }
        throw new IllegalArgumentException("unknown result naming '" + text + "'");
    }
}
