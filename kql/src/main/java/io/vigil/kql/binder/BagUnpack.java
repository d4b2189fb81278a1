package io.vigil.kql.binder;

import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.LiteralKind;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.ColumnReference;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code T | evaluate bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict] [, ignoredProperties])
 * [: OutputSchema]} (bag-unpack-plugin), lowered to a projection: the input's columns without
 * {@code Column}, then one column per top-level slot of its bags, named prefix + slot, typed as the slot's
 * values are (one type, else dynamic).
 *
 * <p>KQL takes the slots from the data. Without an output schema the binder therefore runs a schema probe
 * through {@link QueryCatalog#bagSlots}: the same input plan, at most {@value #PROBE_ROWS} of its rows,
 * at most {@value #MAXIMUM_SLOTS} distinct slots (more is an error asking for an output schema). It costs one
 * extra run of the input up to that row bound before the query itself; slots that occur only in rows past
 * the bound do not become columns. With an output schema no probe runs: the declared columns are the slots
 * (with the prefix stripped from their names when they carry it), converted to the declared types; without
 * {@code *} only they are returned, with it the input's columns come first.
 *
 * <p>Slot columns are in slot-name order (ordinal). A slot named like an input column is an error (KQL215)
 * unless columnsConflict is {@code replace_source} (the slot takes the input column's place) or
 * {@code keep_source} (the slot is dropped). Unlike Kusto, a declared schema is not checked against the data at run time: values of
 * another type convert (or become null).
 */
final class BagUnpack {
    /** Rows of the input the schema probe reads at most. */
    static final int PROBE_ROWS = 100_000;

    /** Distinct slots the schema probe accepts at most. */
    static final int MAXIMUM_SLOTS = 1_000;

    private enum Conflict {
        ERROR,
        REPLACE_SOURCE,
        KEEP_SOURCE
    }

    private record Slot(String key, String name, ColumnType type) {}

    private BagUnpack() {}

    static PlanNode lower(
            PlanNode input,
            Expression.FunctionCall call,
            Optional<Clause.TabularSchema> outputSchema,
            QueryCatalog catalog,
            BindAccess access) {
        access.arity(call, 1, 4);
        if (call.arguments().get(0) instanceof Expression.NamedExpression) {
            throw access.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    call.arguments().get(0).span(),
                    "bag_unpack's first argument is a column");
        }
        ScalarExpression column = access.argument(call, 0);
        if (!(column instanceof ColumnReference bag) || bag.type() != ColumnType.DYNAMIC) {
            throw access.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    call.arguments().get(0).span(),
                    "bag_unpack unpacks a column of type dynamic, got " + describe(column));
        }
        String prefix = "";
        Conflict conflict = Conflict.ERROR;
        Set<String> ignored = new HashSet<>();
        for (int index = 1; index < call.arguments().size(); index++) {
            Expression argument = call.arguments().get(index);
            String parameter = positionalName(index);
            Expression value = argument;
            if (argument instanceof Expression.NamedExpression named) {
                parameter = named.names().get(0);
                value = named.value();
            }
            switch (parameter.toLowerCase(Locale.ROOT)) {
                case "outputcolumnprefix" -> prefix = constantString(value, "string (OutputColumnPrefix)", access);
                case "columnsconflict" -> conflict = conflict(value, access);
                case "ignoredproperties" -> ignored.addAll(stringArray(value, access));
                default ->
                    throw access.error(
                            DiagnosticCode.INVALID_VALUE, argument.span(), "bag_unpack parameter", parameter);
            }
        }

        List<Slot> slots = new ArrayList<>();
        boolean keepInput = true;
        if (outputSchema.isPresent()) {
            keepInput = outputSchema.get().open();
            for (Clause.ColumnDeclaration declared : outputSchema.get().columns()) {
                String key = declared.name();
                if (!prefix.isEmpty() && key.startsWith(prefix)) {
                    key = key.substring(prefix.length());
                }
                slots.add(new Slot(key, declared.name(), access.typeName(declared.type())));
            }
        } else {
            List<BagSlot> probed = catalog.bagSlots(input, bag.index(), PROBE_ROWS, MAXIMUM_SLOTS)
                    .orElseThrow(() -> access.error(
                            DiagnosticCode.UNSUPPORTED_FEATURE,
                            call.span(),
                            "bag_unpack without an output schema where no store can be probed; declare the columns:"
                                    + " bag_unpack(col) : (name:type, ...)"));
            if (probed.size() > MAXIMUM_SLOTS) {
                throw access.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE,
                        call.span(),
                        "bag_unpack of more than " + MAXIMUM_SLOTS + " distinct keys; declare the columns:"
                                + " bag_unpack(col) : (name:type, ...)");
            }
            for (BagSlot slot : probed) {
                if (ignored.contains(slot.key())) {
                    continue;
                }
                if (slot.key().isEmpty()) {
                    throw access.error(DiagnosticCode.INVALID_VALUE, call.span(), "bag_unpack column name", "");
                }
                slots.add(new Slot(slot.key(), prefix + slot.key(), slot.columnType()));
            }
            slots.sort((left, right) -> left.name().compareTo(right.name()));
        }

        List<ScalarExpression> expressions = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            PlanColumn kept = input.columns().get(index);
            // hidden columns (ingestion time) always travel on; visible ones unless the schema leaves them out
            if (index != bag.index() && (keepInput || kept.hidden())) {
                expressions.add(new ColumnReference(index, kept.name(), kept.type()));
                columns.add(kept);
            }
        }
        for (Slot slot : slots) {
            ScalarExpression member = new Call(
                    ScalarFunction.DYNAMIC_MEMBER, List.of(bag, Constant.ofString(slot.key())), ColumnType.DYNAMIC);
            ScalarExpression value = access.convert(member, slot.type());
            PlanColumn slotColumn = new PlanColumn(slot.name(), slot.type());
            int existing = visibleIndex(columns, slot.name());
            if (existing >= 0) {
                switch (conflict) {
                    case ERROR -> throw access.error(DiagnosticCode.COLUMN_CONFLICT, call.span(), slot.name());
                    case KEEP_SOURCE -> {
                        continue;
                    }
                    // the slot takes the replaced column's place (bag-unpack-plugin: Name stays first)
                    case REPLACE_SOURCE -> {
                        expressions.set(existing, value);
                        columns.set(existing, slotColumn);
                        continue;
                    }
                }
            }
            expressions.add(value);
            columns.add(slotColumn);
        }
        return new PlanNode.Project(input, expressions, columns);
    }

    private static String positionalName(int index) {
        return switch (index) {
            case 1 -> "OutputColumnPrefix";
            case 2 -> "columnsConflict";
            default -> "ignoredProperties";
        };
    }

    private static String describe(ScalarExpression value) {
        if (value instanceof ColumnReference) {
            return "a " + value.type().kqlName() + " column";
        }
        return "an expression";
    }

    private static int visibleIndex(List<PlanColumn> columns, String name) {
        for (int index = 0; index < columns.size(); index++) {
            if (!columns.get(index).hidden() && columns.get(index).name().equals(name)) {
                return index;
            }
        }
        return -1;
    }

    private static String constantString(Expression value, String what, BindAccess access) {
        if (access.scalar(value) instanceof Constant constant
                && constant.type() == ColumnType.STRING
                && constant.value() instanceof String text) {
            return text;
        }
        throw access.error(DiagnosticCode.EXPECTED_CONSTANT, value.span(), what);
    }

    private static Conflict conflict(Expression value, BindAccess access) {
        String text = constantString(value, "string (columnsConflict)", access);
        return switch (text) {
            case "error" -> Conflict.ERROR;
            case "replace_source" -> Conflict.REPLACE_SOURCE;
            case "keep_source" -> Conflict.KEEP_SOURCE;
            default -> throw access.error(DiagnosticCode.INVALID_VALUE, value.span(), "columnsConflict", text);
        };
    }

    /** A constant {@code dynamic(['a', 'b'])}: "a constant of dynamic array with string literals" (the page). */
    private static List<String> stringArray(Expression value, BindAccess access) {
        Expression inner = value;
        while (inner instanceof Expression.Parenthesized parenthesized) {
            inner = parenthesized.expression();
        }
        if (inner instanceof Expression.DynamicLiteral literal
                && literal.value() instanceof Expression.DynamicArray array) {
            List<String> names = new ArrayList<>();
            for (Expression element : array.elements()) {
                if (!(element instanceof Expression.Literal text) || text.kind() != LiteralKind.STRING) {
                    throw access.error(DiagnosticCode.EXPECTED_CONSTANT, element.span(), "string (ignoredProperties)");
                }
                names.add(text.value());
            }
            return names;
        }
        throw access.error(
                DiagnosticCode.EXPECTED_CONSTANT, value.span(), "dynamic array of strings (ignoredProperties)");
    }
}
