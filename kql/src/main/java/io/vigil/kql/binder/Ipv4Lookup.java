package io.vigil.kql.binder;

import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
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
import java.util.Set;

/**
 * {@code T | evaluate ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupKey [, ExtraKey...] [, return_unmatched])}
 * (ipv4-lookup-plugin), lowered to a join: a source row matches a lookup row when the two addresses are equal
 * under the smaller of their IP-prefix masks (as {@code ipv4_is_match} compares, so {@code 5.8.1.2} matches
 * {@code 5.8.0.0/19}, and a masked source key matches too) and every extra key is equal. Every match is a row, as a
 * join gives; {@code return_unmatched=true} also keeps source rows without a match, with nulls. Invalid addresses
 * match nothing.
 *
 * <p>Columns: the source's, then the lookup table's without the extra keys (which the source already has), as the
 * page's examples show; a lookup column named like a source column gets a numeric suffix, as {@code lookup} does.
 * The join compares every pair of rows (the page assumes a lookup table of 100K-200K rows at most).
 */
final class Ipv4Lookup {
    private Ipv4Lookup() {}

    static PlanNode lower(PlanNode source, PlanNode lookup, Expression.FunctionCall call, BindAccess access) {
        List<Expression> arguments = new ArrayList<>(call.arguments());
        boolean returnUnmatched = false;
        // return_unmatched is named (the page's examples) or a trailing bool constant (its syntax line)
        Expression last = arguments.get(arguments.size() - 1);
        if (last instanceof Expression.NamedExpression named) {
            if (named.names().size() != 1
                    || !named.names().get(0).toLowerCase(Locale.ROOT).equals("return_unmatched")) {
                throw access.error(
                        DiagnosticCode.INVALID_VALUE,
                        named.span(),
                        "ipv4_lookup parameter",
                        named.names().get(0));
            }
            returnUnmatched = constantBool(named.value(), access);
            arguments.remove(arguments.size() - 1);
        } else if (arguments.size() > 3 && last instanceof Expression.Literal) {
            returnUnmatched = constantBool(last, access);
            arguments.remove(arguments.size() - 1);
        }
        if (arguments.size() < 3) {
            throw access.error(
                    DiagnosticCode.WRONG_ARGUMENT_COUNT, call.span(), "ipv4_lookup", "3 or more", arguments.size());
        }
        int sourceKey = stringColumn(source, arguments.get(1), "SourceIPv4Key", access);
        int lookupKey = stringColumn(lookup, arguments.get(2), "IPv4LookupKey", access);
        int sourceCount = source.columns().size();

        List<ScalarExpression> conditions = new ArrayList<>();
        ScalarExpression comparison = new Call(
                ScalarFunction.IPV4_COMPARE,
                List.of(
                        reference(source, sourceKey, 0),
                        reference(lookup, lookupKey, sourceCount),
                        Constant.ofLong(32L)),
                ColumnType.LONG);
        conditions.add(new Call(ScalarFunction.EQUAL, List.of(comparison, Constant.ofLong(0L)), ColumnType.BOOL));
        Set<Integer> extraLookupKeys = new HashSet<>();
        for (Expression extra : arguments.subList(3, arguments.size())) {
            int left = column(source, extra, "ExtraKey", access);
            int right = column(lookup, extra, "ExtraKey", access);
            ColumnType leftType = source.columns().get(left).type();
            ColumnType rightType = lookup.columns().get(right).type();
            if (leftType != rightType) {
                throw access.error(
                        DiagnosticCode.TYPE_MISMATCH,
                        extra.span(),
                        "ipv4_lookup extra key " + source.columns().get(left).name() + " is " + leftType.kqlName()
                                + " in the source and " + rightType.kqlName() + " in the lookup table");
            }
            extraLookupKeys.add(right);
            conditions.add(new Call(
                    ScalarFunction.KEY_EQUAL,
                    List.of(reference(source, left, 0), reference(lookup, right, sourceCount)),
                    ColumnType.BOOL));
        }
        ScalarExpression condition = conditions.get(0);
        if (conditions.size() > 1) {
            condition = new Call(ScalarFunction.AND, conditions, ColumnType.BOOL);
        }
        List<PlanColumn> joinedColumns = new ArrayList<>(source.columns());
        joinedColumns.addAll(lookup.columns());
        PlanNode.JoinKind kind = PlanNode.JoinKind.INNER;
        if (returnUnmatched) {
            kind = PlanNode.JoinKind.LEFT_OUTER;
        }
        PlanNode join = new PlanNode.Join(kind, source, lookup, condition, joinedColumns);

        List<ScalarExpression> expressions = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int index = 0; index < sourceCount; index++) {
            expressions.add(reference(source, index, 0));
            columns.add(source.columns().get(index));
            taken.add(source.columns().get(index).name());
        }
        for (int index = 0; index < lookup.columns().size(); index++) {
            if (extraLookupKeys.contains(index)) {
                continue;
            }
            PlanColumn column = lookup.columns().get(index);
            expressions.add(reference(lookup, index, sourceCount));
            columns.add(new PlanColumn(unique(column.name(), taken), column.type()));
        }
        return new PlanNode.Project(join, expressions, columns);
    }

    private static ColumnReference reference(PlanNode node, int index, int offset) {
        PlanColumn column = node.columns().get(index);
        return new ColumnReference(offset + index, column.name(), column.type());
    }

    private static int stringColumn(PlanNode node, Expression argument, String parameter, BindAccess access) {
        int index = column(node, argument, parameter, access);
        if (node.columns().get(index).type() != ColumnType.STRING) {
            throw access.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    argument.span(),
                    "ipv4_lookup " + parameter + " is a string column of IPv4 addresses, got "
                            + node.columns().get(index).type().kqlName());
        }
        return index;
    }

    private static int column(PlanNode node, Expression argument, String parameter, BindAccess access) {
        if (!(argument instanceof Expression.NameReference name)) {
            throw access.error(
                    DiagnosticCode.TYPE_MISMATCH, argument.span(), "ipv4_lookup " + parameter + " is a column name");
        }
        for (int index = 0; index < node.columns().size(); index++) {
            PlanColumn column = node.columns().get(index);
            if (!column.hidden() && column.name().equals(name.name())) {
                return index;
            }
        }
        throw access.error(DiagnosticCode.UNKNOWN_COLUMN, argument.span(), name.name());
    }

    private static boolean constantBool(Expression value, BindAccess access) {
        if (access.scalar(value) instanceof Constant constant && constant.value() instanceof Boolean flag) {
            return flag;
        }
        throw access.error(DiagnosticCode.EXPECTED_CONSTANT, value.span(), "bool (return_unmatched)");
    }

    private static String unique(String name, Set<String> taken) {
        String unique = name;
        int suffix = 1;
        while (taken.contains(unique)) {
            unique = name + suffix++;
        }
        taken.add(unique);
        return unique;
    }
}
