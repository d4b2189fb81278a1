package io.vigil.plan;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.ColumnType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Typed scalar expressions over the columns of one input relation (of both inputs for a join). */
public sealed interface ScalarExpression {
    ColumnType type();

    /** The column at {@code index} of the input; {@code name} is for reading plans only. */
    record ColumnReference(int index, String name, ColumnType type) implements ScalarExpression {
        public ColumnReference {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            if (index < 0) {
                throw new IllegalArgumentException("negative column index " + index);
            }
        }
    }

    /**
     * A typed value, {@code null} for a typed null. Values use the {@link io.vigil.spi.Row}
     * representation (String, Integer, Long, Double, Boolean, Instant, Duration); a dynamic constant
     * holds its JSON text as a String.
     */
    record Constant(ColumnType type, Object value) implements ScalarExpression {
        public Constant {
            requireNonNull(type, "type is null");
            if (value != null && !accepts(type, value)) {
                throw new IllegalArgumentException(
                        "value of " + value.getClass().getSimpleName() + " is not a " + type.kqlName());
            }
        }

        private static boolean accepts(ColumnType type, Object value) {
            return switch (type) {
                case STRING, GUID, DYNAMIC -> value instanceof String;
                case INT -> value instanceof Integer;
                case LONG -> value instanceof Long;
                case REAL -> value instanceof Double;
                case BOOL -> value instanceof Boolean;
                case DATETIME -> value instanceof Instant;
                case TIMESPAN -> value instanceof Duration;
            };
        }

        public static Constant ofString(String value) {
            return new Constant(ColumnType.STRING, value);
        }

        public static Constant ofLong(long value) {
            return new Constant(ColumnType.LONG, value);
        }

        public static Constant ofBool(boolean value) {
            return new Constant(ColumnType.BOOL, value);
        }

        public static Constant nullOf(ColumnType type) {
            return new Constant(type, null);
        }
    }

    /** A call of a registered scalar function; the type is resolved by the front end. */
    record Call(ScalarFunction function, List<ScalarExpression> arguments, ColumnType type)
            implements ScalarExpression {
        public Call {
            requireNonNull(function, "function is null");
            arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
            requireNonNull(type, "type is null");
        }
    }

    /** The first column of the first row of a relation, null without rows ({@code toscalar}). */
    record ScalarSubquery(PlanNode relation, ColumnType type) implements ScalarExpression {
        public ScalarSubquery {
            requireNonNull(relation, "relation is null");
            requireNonNull(type, "type is null");
        }
    }

    /** {@code value [not] in (subquery)} over the first column of a relation. */
    record InRelation(ScalarExpression value, PlanNode relation, boolean ignoreCase, ColumnType type)
            implements ScalarExpression {
        public InRelation {
            requireNonNull(value, "value is null");
            requireNonNull(relation, "relation is null");
            requireNonNull(type, "type is null");
        }
    }
}
