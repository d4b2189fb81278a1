package io.vigil.formats.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Dynamic;
import java.time.Duration;
import java.time.Instant;

/** Converts JSON values to the Java representation of a column type, the way Log Analytics coerces them. */
public final class TypedValues {
    private TypedValues() {}

    /** Thrown when a value cannot become the column's type; carries the dead-letter reason. */
    public static final class ConversionException extends Exception {
        private final DeadLetterReason reason;

        public ConversionException(DeadLetterReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        public DeadLetterReason reason() {
            return reason;
        }
    }

    /** Returns the value for {@code type}, or null for JSON null/missing. */
    public static Object fromJson(JsonNode node, ColumnType type) throws ConversionException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return switch (type) {
            case STRING, GUID -> asText(node);
            case INT -> {
                long value = asLong(node);
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    throw new ConversionException(DeadLetterReason.WRONG_TYPE, "int out of range: " + node);
                }
                yield (int) value;
            }
            case LONG -> asLong(node);
            case REAL -> asDouble(node);
            case BOOL -> asBoolean(node);
            case DATETIME -> {
                if (node.isNumber()) {
                    // numbers in a datetime field are Unix epoch seconds (Logs Ingestion API convention)
                    yield Instant.ofEpochMilli(Math.round(node.asDouble() * 1000));
                }
                Instant instant = Timestamps.parse(node.asText());
                if (instant == null) {
                    throw new ConversionException(DeadLetterReason.BAD_TIMESTAMP, "not a datetime: " + node.asText());
                }
                yield instant;
            }
            case TIMESPAN -> {
                Duration duration = Timestamps.parseTimespan(node.asText());
                if (duration == null) {
                    throw new ConversionException(DeadLetterReason.WRONG_TYPE, "not a timespan: " + node.asText());
                }
                yield duration;
            }
            case DYNAMIC -> new Dynamic(node.toString());
        };
    }

    /** Text of a scalar, or the JSON text of an object/array (how Log Analytics stores them in string columns). */
    public static String asText(JsonNode node) {
        if (node.isValueNode()) {
            return node.asText();
        }
        return node.toString();
    }

    private static long asLong(JsonNode node) throws ConversionException {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            double value = node.asDouble();
            if (value == Math.rint(value) && Math.abs(value) < 9.0e18) {
                return (long) value;
            }
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                try {
                    double value = Double.parseDouble(node.asText().trim());
                    if (value == Math.rint(value) && Math.abs(value) < 9.0e18) {
                        return (long) value;
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
        }
        if (node.isBoolean()) {
            if (node.asBoolean()) {
                return 1;
            }
            return 0;
        }
        throw new ConversionException(DeadLetterReason.WRONG_TYPE, "not an integer: " + node);
    }

    private static double asDouble(JsonNode node) throws ConversionException {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException e) {
                throw new ConversionException(DeadLetterReason.WRONG_TYPE, "not a number: " + node);
            }
        }
        throw new ConversionException(DeadLetterReason.WRONG_TYPE, "not a number: " + node);
    }

    private static boolean asBoolean(JsonNode node) throws ConversionException {
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNumber()) {
            return node.asLong() != 0;
        }
        if (node.isTextual()) {
            String text = node.asText().trim();
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw new ConversionException(DeadLetterReason.WRONG_TYPE, "not a bool: " + node);
    }
}
