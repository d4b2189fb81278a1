package io.vigil.kql.binder;

import io.vigil.kql.syntax.Expression;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.ColumnReference;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.WindowFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code T | evaluate narrow()} (narrow-plugin): one row per cell of the input, with the input row's number
 * (from 0, in the input's order), the column's name and the value as a string, row by row and within a row in
 * column order. The value is the cell's {@code tostring()} text; the page's only example (the output of a
 * management command) prints .NET display forms instead ({@code True}, {@code [null]}, datetimes with a space),
 * which is a difference of form for bools, nulls and datetimes. The page does not give the Row column's type;
 * it is long here.
 */
final class Narrow {
    private Narrow() {}

    static PlanNode lower(PlanNode input, Expression.FunctionCall call, BindAccess access) {
        access.arity(call, 0, 0);
        List<PlanColumn> numberedColumns = new ArrayList<>(input.columns());
        numberedColumns.add(new PlanColumn("Row", ColumnType.LONG));
        PlanNode numbered = new PlanNode.Window(
                input,
                List.of(new PlanNode.WindowCall(
                        WindowFunction.ROW_NUMBER, List.of(Constant.ofLong(0L)), ColumnType.LONG)),
                numberedColumns);
        int row = input.columns().size();
        List<PlanColumn> cellColumns = List.of(
                new PlanColumn("Row", ColumnType.LONG),
                new PlanColumn("Column", ColumnType.STRING),
                new PlanColumn("Value", ColumnType.STRING),
                new PlanColumn("$ordinal", ColumnType.LONG, true));
        List<PlanNode> cells = new ArrayList<>();
        long ordinal = 0;
        for (int index = 0; index < input.columns().size(); index++) {
            PlanColumn column = input.columns().get(index);
            if (column.hidden()) {
                continue;
            }
            ScalarExpression value = access.asString(new ColumnReference(index, column.name(), column.type()));
            cells.add(new PlanNode.Project(
                    numbered,
                    List.of(
                            new ColumnReference(row, "Row", ColumnType.LONG),
                            Constant.ofString(column.name()),
                            value,
                            Constant.ofLong(ordinal++)),
                    cellColumns));
        }
        if (cells.isEmpty()) {
            return new PlanNode.Values(cellColumns.subList(0, 3), List.of());
        }
        PlanNode all = cells.get(0);
        if (cells.size() > 1) {
            all = new PlanNode.Union(cells, cellColumns);
        }
        PlanNode sorted = new PlanNode.Sort(
                all,
                List.of(
                        new PlanNode.SortKey(new ColumnReference(0, "Row", ColumnType.LONG), true, false),
                        new PlanNode.SortKey(new ColumnReference(3, "$ordinal", ColumnType.LONG), true, false)),
                OptionalLong.empty());
        List<ScalarExpression> visible = List.of(
                new ColumnReference(0, "Row", ColumnType.LONG),
                new ColumnReference(1, "Column", ColumnType.STRING),
                new ColumnReference(2, "Value", ColumnType.STRING));
        return new PlanNode.Project(sorted, visible, cellColumns.subList(0, 3));
    }
}
