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
 * The result has the group columns, one dynamic array per aggregate, then the axis array, as in KQL. Without
 * group columns and rows there is no series, unless {@code nonEmpty} (kind=nonempty), which gives one row of
 * defaults.
 */
final class MakeSeries {
    /**
     * The axis expression over the input, its result name, and the bounds (constants or now()-based). Without
     * {@code from} ({@code fixedStart} false) {@code start} is the origin the bins are counted from (zero of the
     * axis type) and each series starts at its first bin with data; without {@code to} ({@code fixedStop} false)
     * {@code stop} is unused and each series ends after its last bin with data (make-series-operator, Parameters).
     */
    record Axis(
            ScalarExpression value,
            String name,
            ScalarExpression start,
            ScalarExpression stop,
            ScalarExpression step,
            boolean fixedStart,
            boolean fixedStop) {
        Axis {
            requireNonNull(value, "value is null");
            requireNonNull(name, "name is null");
            requireNonNull(start, "start is null");
            requireNonNull(stop, "stop is null");
            requireNonNull(step, "step is null");
        }

        Axis(
                ScalarExpression value,
                String name,
                ScalarExpression start,
                ScalarExpression stop,
                ScalarExpression step) {
            this(value, name, start, stop, step, true, true);
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
            List<ScalarExpression> defaults,
            boolean nonEmpty) {
        List<ScalarExpression> bounds = new ArrayList<>();
        if (axis.fixedStart()) {
            bounds.add(call(ScalarFunction.GREATER_EQUAL, ColumnType.BOOL, axis.value(), axis.start()));
        }
        if (axis.fixedStop()) {
            bounds.add(call(ScalarFunction.LESS, ColumnType.BOOL, axis.value(), axis.stop()));
        }
        if (bounds.isEmpty()) {
            // a row without an axis value is in no bin
            bounds.add(call(
                    ScalarFunction.NOT, ColumnType.BOOL, call(ScalarFunction.IS_NULL, ColumnType.BOOL, axis.value())));
        }
        ScalarExpression inRange = bounds.get(0);
        if (bounds.size() > 1) {
            inRange = new Call(ScalarFunction.AND, bounds, ColumnType.BOOL);
        }
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
        // the first and last bins with data, for a series whose bounds come from its data
        int firstColumn = -1;
        int lastColumn = -1;
        if (!axis.fixedStart()) {
            firstColumn = keyCount + entries.size();
            entries.add(new PlanNode.AggregateCall(
                    AggregateFunction.MIN, List.of(reference(perBin, keyCount)), ColumnType.LONG));
            groupColumns.add(new PlanColumn("$first", ColumnType.LONG));
        }
        if (!axis.fixedStop()) {
            lastColumn = keyCount + entries.size();
            entries.add(new PlanNode.AggregateCall(
                    AggregateFunction.MAX, List.of(reference(perBin, keyCount)), ColumnType.LONG));
            groupColumns.add(new PlanColumn("$last", ColumnType.LONG));
        }
        if (keyCount == 0) {
            // without by columns the aggregate has one row even over no rows; KQL's result is then empty
            entries.add(new PlanNode.AggregateCall(AggregateFunction.COUNT, List.of(), ColumnType.LONG));
            groupColumns.add(new PlanColumn("$rows", ColumnType.LONG));
        }
        PlanNode perGroup = new PlanNode.Aggregate(perBin, groupKeys, entries, groupColumns);
        if (keyCount == 0 && !nonEmpty) {
            ScalarExpression rowsColumn = reference(perGroup, groupColumns.size() - 1);
            perGroup = new PlanNode.Filter(
                    perGroup, call(ScalarFunction.GREATER, ColumnType.BOOL, rowsColumn, Constant.ofLong(0)));
        }

        List<ScalarExpression> shift = new ArrayList<>();
        ScalarExpression first = Constant.ofLong(0);
        if (!axis.fixedStart()) {
            first = reference(perGroup, firstColumn);
            shift.add(first);
        }
        ScalarExpression length;
        if (axis.fixedStop()) {
            ScalarExpression toStop =
                    call(ScalarFunction.SERIES_BIN_COUNT, ColumnType.LONG, axis.start(), axis.stop(), axis.step());
            length = toStop;
            if (!axis.fixedStart()) {
                // the bins before stop counted from the origin, less those before the series' first bin
                length = call(
                        ScalarFunction.GREATEST,
                        ColumnType.LONG,
                        call(ScalarFunction.SUBTRACT, ColumnType.LONG, toStop, first),
                        Constant.ofLong(0));
            }
        } else {
            length = binsFrom(reference(perGroup, lastColumn), first);
        }
        List<ScalarExpression> expressions = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        for (int index = 0; index < keyCount; index++) {
            expressions.add(reference(perGroup, index));
            columns.add(keyColumns.get(index));
        }
        for (int index = 0; index < aggregates.size(); index++) {
            List<ScalarExpression> arguments =
                    new ArrayList<>(List.of(reference(perGroup, keyCount + index), length, defaults.get(index)));
            arguments.addAll(shift);
            expressions.add(new Call(ScalarFunction.SERIES_FILL, arguments, ColumnType.DYNAMIC));
            columns.add(new PlanColumn(aggregateColumns.get(index).name(), ColumnType.DYNAMIC));
        }
        List<ScalarExpression> axisArguments = new ArrayList<>(List.of(axis.start(), axis.step(), length));
        axisArguments.addAll(shift);
        expressions.add(new Call(ScalarFunction.SERIES_AXIS, axisArguments, ColumnType.DYNAMIC));
        columns.add(new PlanColumn(axis.name(), ColumnType.DYNAMIC));
        return new PlanNode.Project(perGroup, expressions, columns);
    }

    /** {@code last - first + 1}: the bins from the first to the last with data. */
    private static ScalarExpression binsFrom(ScalarExpression last, ScalarExpression first) {
        return call(
                ScalarFunction.ADD,
                ColumnType.LONG,
                call(ScalarFunction.SUBTRACT, ColumnType.LONG, last, first),
                Constant.ofLong(1));
    }

    private static ColumnReference reference(PlanNode plan, int index) {
        PlanColumn column = plan.columns().get(index);
        return new ColumnReference(index, column.name(), column.type());
    }

    private static Call call(ScalarFunction function, ColumnType type, ScalarExpression... arguments) {
        return new Call(function, List.of(arguments), type);
    }
}
