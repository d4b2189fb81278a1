package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.catalog.LanguageRegistry;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.QueryOperator;
import io.vigil.plan.AggregateFunction;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.ColumnReference;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code summarize}: group keys, aggregate calls and their result types and names ({@code count_}, {@code sum_x}), conditional aggregates, percentiles, {@code arg_max}/{@code arg_min}, and scalar expressions over aggregates (summarize-operator, aggregation-functions). */
final class Aggregations {
    private final Binder binder;

    Aggregations(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    PlanNode summarize(PlanNode input, QueryOperator.SummarizeOperator summarize) {
        RowScope scope = new RowScope(input.columns());
        List<ScalarExpression> keys = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Expression item : summarize.groupBy()) {
            ProjectOperators.NamedValue named = binder.projects.named(item, scope, taken, columns.size());
            String name = unique(named.name(), taken);
            keys.add(named.value());
            columns.add(new PlanColumn(name, named.value().type()));
        }
        List<PlanNode.AggregateCall> aggregates = new ArrayList<>();
        List<PlanColumn> aggregateColumns = new ArrayList<>();
        List<CompositeAggregate> composites = new ArrayList<>();
        for (Expression item : summarize.aggregates()) {
            Optional<String> declared = Optional.empty();
            Expression value = item;
            List<String> names = List.of();
            if (item instanceof Expression.NamedExpression named) {
                declared = Optional.of(named.names().get(0));
                value = named.value();
                names = named.names();
            }
            while (value instanceof Expression.Parenthesized parenthesized) {
                value = parenthesized.expression();
            }
            if (!(value instanceof Expression.FunctionCall call) || !isAggregateName(call.name())) {
                // a scalar expression over aggregates, tostring(make_set(x)): bound after the aggregation
                if (!containsAggregate(value)) {
                    throw binder.error(DiagnosticCode.EXPECTED_AGGREGATE, value.span());
                }
                composites.add(new CompositeAggregate(item, value, declared, aggregateColumns.size()));
                continue;
            }
            int first = aggregateColumns.size();
            aggregate(input, scope, call, declared, taken, aggregates, aggregateColumns);
            renameTuple(names, first, aggregateColumns, taken, item);
        }
        if (composites.isEmpty()) {
            columns.addAll(aggregateColumns);
            return new PlanNode.Aggregate(input, keys, aggregates, columns);
        }
        return compositeAggregates(input, scope, keys, columns, aggregates, aggregateColumns, composites, taken);
    }

    /** A summarize item that is a scalar expression over aggregate calls, and where its column goes. */
    record CompositeAggregate(Expression item, Expression value, Optional<String> declared, int position) {}

    /** Binds aggregate calls met inside a composite summarize item; null outside one. */
    java.util.function.Function<Expression.FunctionCall, ScalarExpression> aggregateHook;

    /**
     * {@code summarize Account = tostring(make_set(Account))}: every aggregate call inside the expression is
     * an aggregate column of its own (not shown), and the expression is a projection over the aggregated
     * row (summarize-operator: a column is an aggregation, here under a scalar function). The expression
     * sees only its aggregates and the let-bound values, not the input's columns.
     */
    PlanNode compositeAggregates(
            PlanNode input,
            RowScope scope,
            List<ScalarExpression> keys,
            List<PlanColumn> keyColumns,
            List<PlanNode.AggregateCall> aggregates,
            List<PlanColumn> aggregateColumns,
            List<CompositeAggregate> composites,
            Set<String> taken) {
        int keyCount = keyColumns.size();
        List<PlanNode.AggregateCall> allAggregates = new ArrayList<>(aggregates);
        List<PlanColumn> innerColumns = new ArrayList<>(aggregateColumns);
        Set<String> innerNames = new HashSet<>(taken);
        List<ScalarExpression> values = new ArrayList<>();
        var saved = aggregateHook;
        try {
            aggregateHook = call -> {
                int before = innerColumns.size();
                aggregate(input, scope, call, Optional.empty(), innerNames, allAggregates, innerColumns);
                if (innerColumns.size() != before + 1) {
                    throw binder.error(DiagnosticCode.EXPECTED_AGGREGATE, call.span());
                }
                innerColumns.set(
                        before,
                        new PlanColumn(
                                "__aggregate" + before, innerColumns.get(before).type()));
                PlanColumn column = innerColumns.get(before);
                return new ColumnReference(keyCount + before, column.name(), column.type());
            };
            for (CompositeAggregate composite : composites) {
                int before = innerColumns.size();
                ScalarExpression value = binder.scalars.scalar(composite.value(), RowScope.EMPTY);
                if (innerColumns.size() == before) {
                    throw binder.error(
                            DiagnosticCode.EXPECTED_AGGREGATE, composite.value().span());
                }
                values.add(value);
            }
        } finally {
            aggregateHook = saved;
        }
        List<PlanColumn> aggregated = new ArrayList<>(keyColumns);
        aggregated.addAll(innerColumns);
        PlanNode aggregate = new PlanNode.Aggregate(input, keys, allAggregates, aggregated);
        // the output: the keys, then every summarize item in order (plain aggregates and composites)
        List<ScalarExpression> expressions = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        for (int index = 0; index < keyCount; index++) {
            expressions.add(Binder.reference(aggregate, index));
            columns.add(keyColumns.get(index));
        }
        int composite = 0;
        for (int index = 0; index <= aggregateColumns.size(); index++) {
            while (composite < composites.size() && composites.get(composite).position() == index) {
                CompositeAggregate item = composites.get(composite);
                ScalarExpression value = values.get(composite);
                String name = item.declared()
                        .orElseGet(() ->
                                binder.projects.resultName(item.value()).orElse(ProjectOperators.columnName(taken)));
                expressions.add(value);
                columns.add(new PlanColumn(unique(name, taken), value.type()));
                composite++;
            }
            if (index < aggregateColumns.size()) {
                expressions.add(Binder.reference(aggregate, keyCount + index));
                columns.add(aggregateColumns.get(index));
            }
        }
        return new PlanNode.Project(aggregate, expressions, columns);
    }

    /** Whether an expression calls an aggregation function somewhere (not inside a subquery). */
    boolean containsAggregate(Expression expression) {
        return switch (expression) {
            case Expression.FunctionCall call ->
                (isAggregateName(call.name()) && !(binder.lets.get(call.name()) instanceof Binder.FunctionBinding))
                        || call.arguments().stream().anyMatch(this::containsAggregate);
            case Expression.Parenthesized parenthesized -> containsAggregate(parenthesized.expression());
            case Expression.Unary unary -> containsAggregate(unary.operand());
            case Expression.Binary binary -> containsAggregate(binary.left()) || containsAggregate(binary.right());
            case Expression.In in ->
                containsAggregate(in.left()) || in.values().stream().anyMatch(this::containsAggregate);
            case Expression.Between between ->
                containsAggregate(between.left())
                        || containsAggregate(between.low())
                        || containsAggregate(between.high());
            case Expression.MemberAccess member -> containsAggregate(member.target());
            case Expression.ElementAccess element ->
                containsAggregate(element.target()) || containsAggregate(element.index());
            default -> false;
        };
    }

    /** Whether a function is an aggregation function (bound or not), so only valid in summarize. */
    static boolean isAggregateName(String name) {
        return LanguageRegistry.standard().isAggregate(name);
    }

    /**
     * {@code (a, b) = arg_max(key, x)}: the names go to the aggregate's columns in order, the first one
     * already given (summarize-operator); more names than columns is an error.
     */
    void renameTuple(List<String> names, int first, List<PlanColumn> columns, Set<String> taken, Expression item) {
        if (names.size() <= 1) {
            return;
        }
        if (first + names.size() > columns.size()) {
            throw binder.error(
                    DiagnosticCode.INVALID_VALUE,
                    item.span(),
                    "number of names",
                    names.size() + " for " + (columns.size() - first) + " columns");
        }
        for (int index = 1; index < names.size(); index++) {
            PlanColumn column = columns.get(first + index);
            taken.remove(column.name());
            columns.set(first + index, new PlanColumn(unique(names.get(index), taken), column.type(), column.hidden()));
        }
    }

    static String unique(String name, Set<String> taken) {
        String unique = name;
        int suffix = 1;
        while (taken.contains(unique)) {
            unique = name + suffix++;
        }
        taken.add(unique);
        return unique;
    }

    void aggregate(
            PlanNode input,
            RowScope scope,
            Expression.FunctionCall written,
            Optional<String> declared,
            Set<String> taken,
            List<PlanNode.AggregateCall> aggregates,
            List<PlanColumn> columns) {
        Expression.FunctionCall call = binder.functions.positionalArguments(written);
        String function = call.name();
        List<Expression> arguments = call.arguments();
        switch (function) {
            case "arg_max", "arg_min" -> {
                argExtreme(input, scope, call, function.equals("arg_max"), declared, taken, aggregates, columns);
                return;
            }
            case "percentile", "percentiles" -> {
                percentiles(scope, call, declared, taken, aggregates, columns);
                return;
            }
            default -> {
                // single-column aggregates below
            }
        }
        AggregateFunction aggregate = switch (function) {
            case "count" -> AggregateFunction.COUNT;
            case "countif" -> AggregateFunction.COUNT_IF;
            case "dcount" -> AggregateFunction.COUNT_DISTINCT;
            case "sum" -> AggregateFunction.SUM;
            case "avg" -> AggregateFunction.AVG;
            case "stdev" -> AggregateFunction.STDEV;
            case "stdevp" -> AggregateFunction.STDEVP;
            case "variance" -> AggregateFunction.VARIANCE;
            case "variancep" -> AggregateFunction.VARIANCEP;
            case "min" -> AggregateFunction.MIN;
            case "max" -> AggregateFunction.MAX;
            case "make_set", "makeset" -> AggregateFunction.MAKE_SET;
            case "make_list", "makelist" -> AggregateFunction.MAKE_LIST;
            case "any", "take_any" -> AggregateFunction.ANY;
            case "sumif", "avgif", "minif", "maxif", "dcountif", "make_set_if", "make_list_if", "take_anyif", "anyif" ->
                CONDITIONAL_AGGREGATES.get(function);
            case "make_bag" -> AggregateFunction.MAKE_BAG;
            case "make_bag_if" -> AggregateFunction.MAKE_BAG_IF;
            default -> {
                if (isAggregateName(function)) {
                    throw binder.error(DiagnosticCode.UNSUPPORTED_FUNCTION, call.span(), function);
                }
                throw binder.error(DiagnosticCode.EXPECTED_AGGREGATE, call.span());
            }
        };
        int expected = aggregate.arity();
        if (CONDITIONAL_AGGREGATES.containsKey(function)) {
            conditionalAggregate(call, scope, declared, taken, aggregates, columns);
            return;
        }
        if (aggregate == AggregateFunction.COUNT && arguments.size() == 1) {
            // count(x) of a non-bool x counts every row, nulls of x too (summarize-operator, "Aggregates default
            // values": "The standard count function includes null values in its count", count(y) is 2 with one
            // null y); count(predicate) is the reference parser's hidden, obsolete spelling of countif
            // (Kusto-Query-Language Aggregates.cs: a second signature of count with a bool "predicate")
            ScalarExpression value = binder.scalars.scalar(arguments.get(0), scope);
            String name = declared.orElseGet(
                    () -> binder.projects.functionResultName(call).orElse(ProjectOperators.columnName(taken)));
            if (value.type() == ColumnType.BOOL) {
                aggregates.add(new PlanNode.AggregateCall(AggregateFunction.COUNT_IF, List.of(value), ColumnType.LONG));
            } else {
                aggregates.add(new PlanNode.AggregateCall(AggregateFunction.COUNT, List.of(), ColumnType.LONG));
            }
            columns.add(new PlanColumn(unique(name, taken), ColumnType.LONG));
            return;
        }
        // dcount(x, accuracy) and make_set(x, maxSize) take an optional second argument
        boolean optionalSecond = aggregate == AggregateFunction.COUNT_DISTINCT
                || aggregate == AggregateFunction.MAKE_SET
                || aggregate == AggregateFunction.MAKE_LIST;
        if (arguments.size() != expected && !(optionalSecond && arguments.size() == expected + 1)) {
            throw binder.error(
                    DiagnosticCode.WRONG_ARGUMENT_COUNT,
                    call.span(),
                    function,
                    Integer.toString(expected),
                    arguments.size());
        }
        List<ScalarExpression> bound = new ArrayList<>();
        if (expected == 1) {
            ScalarExpression argument = binder.scalars.scalar(arguments.get(0), scope);
            if (aggregate == AggregateFunction.COUNT_IF) {
                argument = binder.scalars.toBool(argument, arguments.get(0).span());
            }
            if (aggregate == AggregateFunction.MAKE_BAG) {
                argument = binder.conversions.convert(argument, ColumnType.DYNAMIC);
            }
            bound.add(argument);
        }
        if (aggregate == AggregateFunction.MAKE_BAG_IF) {
            // make_bag_if(bag, predicate) (make-bag-if-aggregate-function)
            bound.add(binder.conversions.convert(binder.scalars.scalar(arguments.get(0), scope), ColumnType.DYNAMIC));
            bound.add(binder.scalars.toBool(
                    binder.scalars.scalar(arguments.get(1), scope),
                    arguments.get(1).span()));
        }
        if ((aggregate == AggregateFunction.MAKE_SET || aggregate == AggregateFunction.MAKE_LIST)
                && arguments.size() == 2) {
            // make_set(x, maxSize) keeps at most maxSize elements (make-set-aggregate-function)
            ScalarExpression maximum = binder.scalars.scalar(arguments.get(1), scope);
            if (!(maximum instanceof Constant constant) || !(constant.value() instanceof Number)) {
                throw binder.error(
                        DiagnosticCode.EXPECTED_CONSTANT, arguments.get(1).span(), "maxSize");
            }
            bound.add(binder.conversions.convert(maximum, ColumnType.LONG));
        }
        ColumnType type = aggregate
                .resultType()
                .orElseGet(() -> aggregateType(aggregate, bound.get(0).type()));
        String name = declared.orElseGet(
                () -> binder.projects.functionResultName(call).orElse(ProjectOperators.columnName(taken)));
        aggregates.add(new PlanNode.AggregateCall(aggregate, bound, type));
        columns.add(new PlanColumn(unique(name, taken), type));
    }

    /** {@code sumif(x, predicate)} and friends: the aggregate over the rows where the predicate holds. */
    static final Map<String, AggregateFunction> CONDITIONAL_AGGREGATES = Map.of(
            "sumif", AggregateFunction.SUM,
            "avgif", AggregateFunction.AVG,
            "minif", AggregateFunction.MIN,
            "maxif", AggregateFunction.MAX,
            "dcountif", AggregateFunction.COUNT_DISTINCT,
            "make_set_if", AggregateFunction.MAKE_SET,
            "make_list_if", AggregateFunction.MAKE_LIST,
            "take_anyif", AggregateFunction.ANY,
            "anyif", AggregateFunction.ANY);

    /**
     * The value is null where the predicate does not hold, which every aggregate here skips
     * (sumif-aggregate-function, dcountif-aggregate-function, make-set-if-aggregate-function...).
     */
    void conditionalAggregate(
            Expression.FunctionCall call,
            RowScope scope,
            Optional<String> declared,
            Set<String> taken,
            List<PlanNode.AggregateCall> aggregates,
            List<PlanColumn> columns) {
        AggregateFunction aggregate = CONDITIONAL_AGGREGATES.get(call.name());
        boolean sized = aggregate == AggregateFunction.MAKE_SET || aggregate == AggregateFunction.MAKE_LIST;
        boolean accuracy = aggregate == AggregateFunction.COUNT_DISTINCT;
        int maximum = 2;
        if (sized || accuracy) {
            maximum = 3;
        }
        binder.functions.arity(call, 2, maximum);
        ScalarExpression value = binder.scalars.scalar(call.arguments().get(0), scope);
        ScalarExpression predicate = binder.scalars.toBool(
                binder.scalars.scalar(call.arguments().get(1), scope),
                call.arguments().get(1).span());
        List<ScalarExpression> bound = new ArrayList<>();
        bound.add(ScalarBinder.call(ScalarFunction.IF, value.type(), predicate, value, Constant.nullOf(value.type())));
        if (sized && call.arguments().size() == 3) {
            ScalarExpression size = binder.scalars.scalar(call.arguments().get(2), scope);
            if (!(size instanceof Constant constant) || !(constant.value() instanceof Number)) {
                throw binder.error(
                        DiagnosticCode.EXPECTED_CONSTANT,
                        call.arguments().get(2).span(),
                        "maxSize");
            }
            bound.add(binder.conversions.convert(size, ColumnType.LONG));
        }
        ColumnType type = aggregate.resultType().orElseGet(() -> aggregateType(aggregate, value.type()));
        String name = declared.orElseGet(
                () -> binder.projects.functionResultName(call).orElse(ProjectOperators.columnName(taken)));
        aggregates.add(new PlanNode.AggregateCall(aggregate, bound, type));
        columns.add(new PlanColumn(unique(name, taken), type));
    }

    /**
     * percentile(x, p) and percentiles(x, p1, p2, ...): one nearest-rank column per percentile, named
     * percentile_x_p with the percentile's text ('.' as '_') unless named (percentiles-aggregation-function).
     */
    void percentiles(
            RowScope scope,
            Expression.FunctionCall call,
            Optional<String> declared,
            Set<String> taken,
            List<PlanNode.AggregateCall> aggregates,
            List<PlanColumn> columns) {
        if (call.name().equals("percentile")) {
            binder.functions.arity(call, 2, 2);
        } else {
            binder.functions.arity(call, 2, Integer.MAX_VALUE);
        }
        ScalarExpression value = binder.scalars.scalar(call.arguments().get(0), scope);
        if (value.type() == ColumnType.DYNAMIC) {
            value = binder.conversions.convert(value, ColumnType.REAL);
        }
        if (!Conversions.isNumeric(value.type())
                && value.type() != ColumnType.DATETIME
                && value.type() != ColumnType.TIMESPAN) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    call.arguments().get(0).span(),
                    "percentile of " + value.type().kqlName());
        }
        String first = binder.projects.resultName(call.arguments().get(0)).orElse("");
        int count = call.arguments().size() - 1;
        for (int index = 1; index < call.arguments().size(); index++) {
            Expression argument = call.arguments().get(index);
            ScalarExpression percent = binder.scalars.scalar(argument, scope);
            if (!(percent instanceof Constant constant)
                    || !(constant.value() instanceof Number number)
                    || number.doubleValue() < 0
                    || number.doubleValue() > 100) {
                throw binder.error(DiagnosticCode.EXPECTED_CONSTANT, argument.span(), "percentile from 0 to 100");
            }
            String name;
            if (declared.isPresent() && count == 1) {
                name = declared.get();
            } else {
                String text = argument instanceof Expression.Literal literal ? literal.value() : number.toString();
                name = "percentile_" + first + "_" + text.replace('.', '_').replace('-', '_');
            }
            aggregates.add(new PlanNode.AggregateCall(
                    AggregateFunction.PERCENTILE,
                    List.of(value, binder.conversions.convert(percent, ColumnType.REAL)),
                    value.type()));
            columns.add(new PlanColumn(unique(name, taken), value.type()));
        }
    }

    /** sum promotes int to long; avg is real except over datetimes and timespans (aggregation functions). */
    static ColumnType aggregateType(AggregateFunction aggregate, ColumnType argument) {
        return switch (aggregate) {
            case SUM -> {
                if (argument == ColumnType.INT) {
                    yield ColumnType.LONG;
                }
                yield argument;
            }
            case AVG -> {
                if (argument == ColumnType.TIMESPAN || argument == ColumnType.DATETIME) {
                    yield argument;
                }
                yield ColumnType.REAL;
            }
            case MIN, MAX, ANY, ARG_MAX, ARG_MIN, PERCENTILE -> argument;
            case COUNT, COUNT_IF, COUNT_DISTINCT -> ColumnType.LONG;
            case STDEV, STDEVP, VARIANCE, VARIANCEP -> ColumnType.REAL;
            case MAKE_SET, MAKE_LIST, SERIES_ENTRIES, MAKE_BAG, MAKE_BAG_IF -> ColumnType.DYNAMIC;
        };
    }

    /**
     * {@code arg_max(key, a, b)} or {@code arg_max(key, *)}: the key column, then the other columns of the
     * row with the largest key (arg-max-aggregate-function); {@code *} leaves out the group-by columns.
     */
    void argExtreme(
            PlanNode input,
            RowScope scope,
            Expression.FunctionCall call,
            boolean max,
            Optional<String> declared,
            Set<String> taken,
            List<PlanNode.AggregateCall> aggregates,
            List<PlanColumn> columns) {
        if (call.arguments().size() < 2) {
            throw binder.error(
                    DiagnosticCode.WRONG_ARGUMENT_COUNT,
                    call.span(),
                    call.name(),
                    "2 or more",
                    call.arguments().size());
        }
        AggregateFunction function = AggregateFunction.ARG_MIN;
        String prefix = "min";
        if (max) {
            function = AggregateFunction.ARG_MAX;
            prefix = "max";
        }
        Expression keyExpression = call.arguments().get(0);
        ScalarExpression key = binder.scalars.scalar(keyExpression, scope);
        // `X = arg_max(key, ...)` names the key column X (arg-max-aggregate-function)
        String keyName = binder.projects.resultName(keyExpression).orElse(prefix + "_");
        if (declared.isPresent()) {
            keyName = declared.get();
        }
        aggregates.add(new PlanNode.AggregateCall(function, List.of(key, key), key.type()));
        columns.add(new PlanColumn(unique(keyName, taken), key.type()));
        for (Expression argument : call.arguments().subList(1, call.arguments().size())) {
            if (argument instanceof Expression.Star) {
                for (int index = 0; index < input.columns().size(); index++) {
                    PlanColumn column = input.columns().get(index);
                    if (column.hidden() || taken.contains(column.name())) {
                        continue;
                    }
                    ColumnReference value = Binder.reference(input, index);
                    aggregates.add(new PlanNode.AggregateCall(function, List.of(value, key), column.type()));
                    columns.add(new PlanColumn(unique(column.name(), taken), column.type()));
                }
                continue;
            }
            ProjectOperators.NamedValue named = binder.projects.named(argument, scope, taken, columns.size());
            aggregates.add(new PlanNode.AggregateCall(
                    function, List.of(named.value(), key), named.value().type()));
            columns.add(
                    new PlanColumn(unique(named.name(), taken), named.value().type()));
        }
    }
}
