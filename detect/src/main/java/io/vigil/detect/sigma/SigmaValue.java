package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

/** A value in a Sigma detection, as YAML typed it. */
sealed interface SigmaValue {
    /** A string, still with Sigma's wildcards ({@code *}, {@code ?}) and escapes ({@code \*}, {@code \?}, {@code \\}). */
    record Text(String raw) implements SigmaValue {
        public Text {
            requireNonNull(raw, "raw is null");
        }
    }

    /** A whole number or decimal, written as YAML wrote it. */
    record Number(String text) implements SigmaValue {
        public Number {
            requireNonNull(text, "text is null");
        }
    }

    record Bool(boolean value) implements SigmaValue {}

    record Null() implements SigmaValue {}

    static SigmaValue of(Object yaml) {
        return switch (yaml) {
            case null -> new Null();
            case Boolean flag -> new Bool(flag);
            case Integer number -> new Number(number.toString());
            case Long number -> new Number(number.toString());
            case java.math.BigInteger number -> new Number(number.toString());
            case Double number -> new Number(number.toString());
            case String text -> new Text(text);
            default ->
                throw new SigmaConversionException(
                        SigmaError.Code.INVALID_RULE, "a detection value must be a scalar, found " + yaml);
        };
    }
}
