package io.vigil.kql.binder;

import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code T | evaluate pivot(pivotColumn [, aggregationFunction] [, column1, column2, ...]) [: OutputSchema]}
 * (pivot-plugin), lowered to one aggregate: grouped by the columns (given, or by default every column but the
 * pivot column and the columns the aggregation reads, in the input's order), with one cell per value of the
 * pivot column, computed as the aggregation over the group's rows holding that value ({@code countif},
 * {@code sumif} and so on). A cell without such rows has the aggregation's default value
 * (summarize-operator, "Default values of aggregations": 0 for count, dcount, sum, stdev and variance,
 * {@code []} for make_list and make_set, null for the others), which the page's outputs show as 0. make_bag
 * gives the empty bag {@code {}}, as Vigil's summarize does (that table lists it with the arrays).
 *
 * <p>The pivoted columns come from the data. Without an output schema the binder therefore asks the catalog
 * for the distinct values of the pivot column (as text, {@code tostring}) over the whole input, a first run of
 * the input before the query. They are in the order in which they first occur in the input: the page's
 * example puts ARKANSAS before ARIZONA, so Kusto does not sort them, and first occurrence is the order its
 * examples agree with. A value that is empty (or null) would be a column without a name, which Kusto's pages do
 * not describe: it is refused (KQL252), as are more than {@value #MAXIMUM_VALUES} values. With an output schema
 * no probe runs: the declared columns that are not grouping columns are the pivot values, with their declared
 * types; unlike Kusto, the data is not checked against the schema at run time.
 */
final class Pivot {
    /** Distinct pivot values accepted at most (each is a column). */
    static final int MAXIMUM_VALUES = 1_000;

    private enum Aggregation {
        COUNT,
        SUM,
        DCOUNT,
        MIN,
        MAX,
        TAKE_ANY,
        AVG,
        STDEV,
        VARIANCE,
        MAKE_LIST,
        MAKE_SET,
        MAKE_BAG
    }

    /** The aggregation functions the page lists as supported. */
    private static final Map<String, Aggregation> AGGREGATIONS = Map.ofEntries(
            Map.entry("count", Aggregation.COUNT),
            Map.entry("sum", Aggregation.SUM),
            Map.entry("dcount", Aggregation.DCOUNT),
            Map.entry("min", Aggregation.MIN),
            Map.entry("max", Aggregation.MAX),
            Map.entry("take_any", Aggregation.TAKE_ANY),
            Map.entry("any", Aggregation.TAKE_ANY),
            Map.entry("avg", Aggregation.AVG),
            Map.entry("stdev", Aggregation.STDEV),
            Map.entry("variance", Aggregation.VARIANCE),
            Map.entry("make_list", Aggregation.MAKE_LIST),
            Map.entry("make_set", Aggregation.MAKE_SET),
            Map.entry("make_bag", Aggregation.MAKE_BAG));

    private Pivot() {}

    static PlanNode lower(
            PlanNode input,
            Expression.FunctionCall call,
            Optional<Clause.TabularSchema> outputSchema,
            QueryCatalog catalog,
            BindAccess access) {
        access.arity(call, 1, Integer.MAX_VALUE);
        List<Expression> arguments = call.arguments();
        int pivotIndex = column(input, arguments.get(0), access);
        PlanColumn pivotColumn = input.columns().get(pivotIndex);

        Aggregation aggregation = Aggregation.COUNT;
        Optional<ScalarExpression> argument = Optional.empty();
        int firstColumn = 1;
        if (arguments.size() > 1 && arguments.get(1) instanceof Expression.FunctionCall function) {
            aggregation = AGGREGATIONS.get(function.name());
            if (aggregation == null) {
                throw access.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE,
                        function.span(),
                        "pivot aggregation " + function.name() + "(); the page lists min, max, take_any, sum,"
                                + " dcount, avg, stdev, variance, make_list, make_bag, make_set, count");
            }
            if (aggregation == Aggregation.COUNT) {
                access.arity(function, 0, 0);
            } else {
                access.arity(function, 1, 1);
                argument = Optional.of(access.argument(function, 0));
            }
            firstColumn = 2;
        }

        List<Integer> groups = new ArrayList<>();
        if (arguments.size() > firstColumn) {
            for (Expression name : arguments.subList(firstColumn, arguments.size())) {
                int index = column(input, name, access);
                if (!groups.contains(index)) {
                    groups.add(index);
                }
            }
        } else {
            Set<Integer> read = new HashSet<>();
            argument.ifPresent(value -> columnsRead(value, read));
            for (int index = 0; index < input.columns().size(); index++) {
                if (index != pivotIndex
                        && !read.contains(index)
                        && !input.columns().get(index).hidden()) {
                    groups.add(index);
                }
            }
        }
        Set<String> groupNames = new HashSet<>();
        for (int index : groups) {
            groupNames.add(input.columns().get(index).name());
        }

        ScalarExpression pivotText =
                access.asString(new ColumnReference(pivotIndex, pivotColumn.name(), pivotColumn.type()));
        // each pivot value is a column, with its declared type when there is an output schema
        Map<String, Optional<ColumnType>> values = new LinkedHashMap<>();
        List<String> outputOrder = new ArrayList<>();
        if (outputSchema.isPresent()) {
            if (outputSchema.get().open()) {
                throw access.error(DiagnosticCode.UNSUPPORTED_FEATURE, call.span(), "pivot output schema with '*'");
            }
            Set<String> declaredGroups = new HashSet<>();
            for (Clause.ColumnDeclaration declared : outputSchema.get().columns()) {
                outputOrder.add(declared.name());
                if (groupNames.contains(declared.name())) {
                    declaredGroups.add(declared.name());
                } else {
                    values.put(declared.name(), Optional.of(access.typeName(declared.type())));
                }
            }
            if (!declaredGroups.equals(groupNames)) {
                Set<String> missing = new HashSet<>(groupNames);
                missing.removeAll(declaredGroups);
                throw access.error(
                        DiagnosticCode.INVALID_VALUE,
                        call.span(),
                        "pivot output schema",
                        "it lacks the grouping columns "
                                + missing.stream().sorted().toList());
            }
        } else {
            PlanNode texts = new PlanNode.Project(
                    input, List.of(pivotText), List.of(new PlanColumn("pivot_value", ColumnType.STRING)));
            List<String> probed = catalog.distinctValues(texts, 0, MAXIMUM_VALUES)
                    .orElseThrow(() -> access.error(
                            DiagnosticCode.UNSUPPORTED_FEATURE,
                            call.span(),
                            "pivot without an output schema where no store can be probed; declare the columns:"
                                    + " pivot(col) : (name:type, ...)"));
            if (probed.size() > MAXIMUM_VALUES) {
                throw access.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE,
                        call.span(),
                        "pivot over more than " + MAXIMUM_VALUES + " distinct values");
            }
            for (int index : groups) {
                outputOrder.add(input.columns().get(index).name());
            }
            for (String value : probed) {
                if (value == null || value.isEmpty()) {
                    throw access.error(
                            DiagnosticCode.UNSUPPORTED_FEATURE,
                            arguments.get(0).span(),
                            "pivot over an empty or null value of " + pivotColumn.name()
                                    + " (it would be a column without a name); filter those rows out first");
                }
                if (groupNames.contains(value)) {
                    throw access.error(DiagnosticCode.COLUMN_CONFLICT, call.span(), value);
                }
                values.put(value, Optional.empty());
                outputOrder.add(value);
            }
        }

        List<ScalarExpression> keys = new ArrayList<>();
        List<PlanColumn> aggregateColumns = new ArrayList<>();
        for (int index : groups) {
            PlanColumn column = input.columns().get(index);
            keys.add(new ColumnReference(index, column.name(), column.type()));
            aggregateColumns.add(column);
        }
        List<PlanNode.AggregateCall> aggregates = new ArrayList<>();
        for (String value : values.keySet()) {
            ScalarExpression holds =
                    new Call(ScalarFunction.EQUAL, List.of(pivotText, Constant.ofString(value)), ColumnType.BOOL);
            PlanNode.AggregateCall cell = cell(aggregation, argument, holds, call, access);
            aggregates.add(cell);
            aggregateColumns.add(new PlanColumn(value, cell.type()));
        }
        PlanNode aggregate = new PlanNode.Aggregate(input, keys, aggregates, aggregateColumns);

        List<ScalarExpression> expressions = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        for (String name : outputOrder) {
            int index = indexOf(aggregateColumns, name);
            PlanColumn column = aggregateColumns.get(index);
            ScalarExpression value = new ColumnReference(index, column.name(), column.type());
            if (index >= keys.size()) {
                value = withDefault(aggregation, value);
                Optional<ColumnType> declared = values.get(name);
                if (declared.isPresent() && declared.get() != value.type()) {
                    value = access.convert(value, declared.get());
                }
            }
            expressions.add(value);
            columns.add(new PlanColumn(name, value.type()));
        }
        return new PlanNode.Project(aggregate, expressions, columns);
    }

    /** The aggregation over the rows where {@code holds}: a value that is null elsewhere, which aggregates skip. */
    private static PlanNode.AggregateCall cell(
            Aggregation aggregation,
            Optional<ScalarExpression> argument,
            ScalarExpression holds,
            Expression.FunctionCall call,
            BindAccess access) {
        if (aggregation == Aggregation.COUNT) {
            return new PlanNode.AggregateCall(AggregateFunction.COUNT_IF, List.of(holds), ColumnType.LONG);
        }
        ScalarExpression value = argument.orElseThrow();
        if (aggregation == Aggregation.MAKE_BAG) {
            return new PlanNode.AggregateCall(
                    AggregateFunction.MAKE_BAG_IF,
                    List.of(access.convert(value, ColumnType.DYNAMIC), holds),
                    ColumnType.DYNAMIC);
        }
        ScalarExpression only =
                new Call(ScalarFunction.IF, List.of(holds, value, Constant.nullOf(value.type())), value.type());
        AggregateFunction function = switch (aggregation) {
            case SUM -> AggregateFunction.SUM;
            case DCOUNT -> AggregateFunction.COUNT_DISTINCT;
            case MIN -> AggregateFunction.MIN;
            case MAX -> AggregateFunction.MAX;
            case TAKE_ANY -> AggregateFunction.ANY;
            case AVG -> AggregateFunction.AVG;
            case STDEV -> AggregateFunction.STDEV;
            case VARIANCE -> AggregateFunction.VARIANCE;
            case MAKE_LIST -> AggregateFunction.MAKE_LIST;
            case MAKE_SET -> AggregateFunction.MAKE_SET;
            case COUNT, MAKE_BAG -> throw new IllegalStateException("bound above");
        };
        ColumnType type = switch (aggregation) {
            case SUM -> sumType(value, call, access);
            case DCOUNT -> ColumnType.LONG;
            case MIN, MAX, TAKE_ANY -> value.type();
            case AVG -> {
                if (value.type() == ColumnType.DATETIME || value.type() == ColumnType.TIMESPAN) {
                    yield value.type();
                }
                yield ColumnType.REAL;
            }
            case STDEV, VARIANCE -> ColumnType.REAL;
            case MAKE_LIST, MAKE_SET -> ColumnType.DYNAMIC;
            case COUNT, MAKE_BAG -> throw new IllegalStateException("bound above");
        };
        return new PlanNode.AggregateCall(function, List.of(only), type);
    }

    /** sum of int and long is long, of real real; other types are refused, since their zero default is unclear. */
    private static ColumnType sumType(ScalarExpression value, Expression.FunctionCall call, BindAccess access) {
        if (value.type() == ColumnType.INT || value.type() == ColumnType.LONG) {
            return ColumnType.LONG;
        }
        if (value.type() == ColumnType.REAL) {
            return ColumnType.REAL;
        }
        throw access.error(
                DiagnosticCode.UNSUPPORTED_FEATURE,
                call.span(),
                "pivot sum() of " + value.type().kqlName());
    }

    /** A cell without rows takes the aggregation's default value (summarize-operator). */
    private static ScalarExpression withDefault(Aggregation aggregation, ScalarExpression value) {
        Optional<Constant> fallback = switch (aggregation) {
            case COUNT, DCOUNT -> Optional.empty();
            case SUM -> {
                if (value.type() == ColumnType.REAL) {
                    yield Optional.of(new Constant(ColumnType.REAL, 0.0));
                }
                yield Optional.of(Constant.ofLong(0L));
            }
            case STDEV, VARIANCE -> Optional.of(new Constant(ColumnType.REAL, 0.0));
            case MAKE_LIST, MAKE_SET -> Optional.of(new Constant(ColumnType.DYNAMIC, "[]"));
            // make_bag_if of no rows is already the empty bag {}
            case MAKE_BAG, MIN, MAX, TAKE_ANY, AVG -> Optional.empty();
        };
        if (fallback.isEmpty()) {
            return value;
        }
        return new Call(ScalarFunction.COALESCE, List.of(value, fallback.get()), value.type());
    }

    private static int indexOf(List<PlanColumn> columns, String name) {
        for (int index = 0; index < columns.size(); index++) {
            if (columns.get(index).name().equals(name)) {
                return index;
            }
        }
        throw new IllegalStateException("no column " + name);
    }

    private static void columnsRead(ScalarExpression expression, Set<Integer> read) {
        switch (expression) {
            case ColumnReference reference -> read.add(reference.index());
            case Call nested -> nested.arguments().forEach(argument -> columnsRead(argument, read));
            case ScalarExpression.InRelation in -> columnsRead(in.value(), read);
            case Constant constant -> {
                // reads no column
            }
            case ScalarExpression.ScalarSubquery subquery -> {
                // reads its own relation's columns
            }
        }
    }

    private static int column(PlanNode input, Expression argument, BindAccess access) {
        if (!(argument instanceof Expression.NameReference name)) {
            throw access.error(DiagnosticCode.TYPE_MISMATCH, argument.span(), "pivot takes column names");
        }
        for (int index = 0; index < input.columns().size(); index++) {
            PlanColumn column = input.columns().get(index);
            if (!column.hidden() && column.name().equals(name.name())) {
                return index;
            }
        }
        throw access.error(DiagnosticCode.UNKNOWN_COLUMN, argument.span(), name.name());
    }
}
