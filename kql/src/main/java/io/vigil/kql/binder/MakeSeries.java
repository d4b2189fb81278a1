package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.plan.AggregateFunction;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.ColumnReference;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers a bound make-series (make-series-operator) to plain plan nodes:
 *
 * <ol>
 *   <li>rows with {@code start <= axis < stop};
 *   <li>the aggregates per group and bin index {@code floor((axis - start) / step)};
 *   <li>per group, an object of the aggregate values keyed by bin index ({@code series_entries});
 *   <li>per group, arrays of {@code ceil((stop - start) / step)} values, the aggregate where the bin has
 *       rows and the default elsewhere, and the axis array {@code start, start + step, ...}.
 * </ol>
 *
 * The result has the group columns, one dynamic array per aggregate, then the axis array, as in KQL.
 */
final class MakeSeries {
    /** The axis expression over the input, its result name, and the bounds (constants or now()-based). */
    record Axis(
            ScalarExpression value, String name, ScalarExpression start, ScalarExpression stop, ScalarExpression step) {
        Axis {
            requireNonNull(value, "value is null");
            requireNonNull(name, "name is null");
            requireNonNull(start, "start is null");
            requireNonNull(stop, "stop is null");
            requireNonNull(step, "step is null");
        }
    }

    private static final String BIN_COLUMN = "$bin";

    private MakeSeries() {}

    static PlanNode lower(
            PlanNode input,
            Axis axis,
            List<ScalarExpression> keys,
            List<PlanColumn> keyColumns,
            List<PlanNode.AggregateCall> aggregates,
            List<PlanColumn> aggregateColumns,
            List<ScalarExpression> defaults) {
        ScalarExpression inRange = call(
                ScalarFunction.AND,
                ColumnType.BOOL,
                call(ScalarFunction.GREATER_EQUAL, ColumnType.BOOL, axis.value(), axis.start()),
                call(ScalarFunction.LESS, ColumnType.BOOL, axis.value(), axis.stop()));
        PlanNode rows = new PlanNode.Filter(input, inRange);

        List<ScalarExpression> binKeys = new ArrayList<>(keys);
        binKeys.add(call(ScalarFunction.SERIES_BIN_INDEX, ColumnType.LONG, axis.value(), axis.start(), axis.step()));
        List<PlanColumn> binColumns = new ArrayList<>(keyColumns);
        binColumns.add(new PlanColumn(BIN_COLUMN, ColumnType.LONG));
        binColumns.addAll(aggregateColumns);
        PlanNode perBin = new PlanNode.Aggregate(rows, binKeys, aggregates, binColumns);

        int keyCount = keys.size();
        List<ScalarExpression> groupKeys = new ArrayList<>();
        List<PlanColumn> groupColumns = new ArrayList<>(keyColumns);
        for (int index = 0; index < keyCount; index++) {
            groupKeys.add(reference(perBin, index));
        }
        List<PlanNode.AggregateCall> entries = new ArrayList<>();
        for (int index = 0; index < aggregates.size(); index++) {
            entries.add(new PlanNode.AggregateCall(
                    AggregateFunction.SERIES_ENTRIES,
                    List.of(reference(perBin, keyCount), reference(perBin, keyCount + 1 + index)),
                    ColumnType.DYNAMIC));
            groupColumns.add(new PlanColumn(aggregateColumns.get(index).name(), ColumnType.DYNAMIC));
        }
        if (keyCount == 0) {
            // without by columns the aggregate has one row even over no rows; KQL's result is then empty
            entries.add(new PlanNode.AggregateCall(AggregateFunction.COUNT, List.of(), ColumnType.LONG));
            groupColumns.add(new PlanColumn("$rows", ColumnType.LONG));
        }
        PlanNode perGroup = new PlanNode.Aggregate(perBin, groupKeys, entries, groupColumns);
        if (keyCount == 0) {
            ScalarExpression rowsColumn = reference(perGroup, aggregates.size());
            perGroup = new PlanNode.Filter(
                    perGroup, call(ScalarFunction.GREATER, ColumnType.BOOL, rowsColumn, Constant.ofLong(0)));
        }

        ScalarExpression length =
                call(ScalarFunction.SERIES_BIN_COUNT, ColumnType.LONG, axis.start(), axis.stop(), axis.step());
        List<ScalarExpression> expressions = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        for (int index = 0; index < keyCount; index++) {
            expressions.add(reference(perGroup, index));
            columns.add(keyColumns.get(index));
        }
        for (int index = 0; index < aggregates.size(); index++) {
            expressions.add(call(
                    ScalarFunction.SERIES_FILL,
                    ColumnType.DYNAMIC,
                    reference(perGroup, keyCount + index),
                    length,
                    defaults.get(index)));
            columns.add(new PlanColumn(aggregateColumns.get(index).name(), ColumnType.DYNAMIC));
        }
        expressions.add(call(ScalarFunction.SERIES_AXIS, ColumnType.DYNAMIC, axis.start(), axis.step(), length));
        columns.add(new PlanColumn(axis.name(), ColumnType.DYNAMIC));
        return new PlanNode.Project(perGroup, expressions, columns);
    }

    private static ColumnReference reference(PlanNode plan, int index) {
        PlanColumn column = plan.columns().get(index);
        return new ColumnReference(index, column.name(), column.type());
    }

    private static Call call(ScalarFunction function, ColumnType type, ScalarExpression... arguments) {
        return new Call(function, List.of(arguments), type);
    }
}
