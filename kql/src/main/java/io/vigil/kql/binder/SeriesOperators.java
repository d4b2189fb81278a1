package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.QueryOperator;
import io.vigil.kql.syntax.Span;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Series: {@code make-series}, the {@code range} operator and function, and the {@code series_*} functions over the arrays they produce (make-series-operator, range-operator, series-functions). */
final class SeriesOperators {
    private final Binder binder;

    SeriesOperators(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    /** range (range-operator): one column of start, start + step, ... up to stop inclusive. */
    PlanNode range(QueryOperator.RangeOperator range) {
        ScalarExpression start = binder.scalars.scalar(range.from(), RowScope.EMPTY);
        ScalarExpression stop = binder.scalars.scalar(range.to(), RowScope.EMPTY);
        ScalarExpression step = binder.scalars.scalar(range.step(), RowScope.EMPTY);
        ColumnType type = rangeType(start, stop, step, range.span());
        if (Conversions.isNumeric(type)) {
            step = binder.conversions.convert(step, type);
        }
        return new PlanNode.Series(
                new PlanColumn(range.column(), type),
                binder.conversions.convert(start, type),
                binder.conversions.convert(stop, type),
                step);
    }

    /** The element type of a range: long for integers, real if any bound is real, or datetime / timespan. */
    ColumnType rangeType(ScalarExpression start, ScalarExpression stop, ScalarExpression step, Span span) {
        if (Conversions.isNumeric(start.type())
                && Conversions.isNumeric(stop.type())
                && Conversions.isNumeric(step.type())) {
            if (start.type() == ColumnType.REAL || stop.type() == ColumnType.REAL || step.type() == ColumnType.REAL) {
                return ColumnType.REAL;
            }
            return ColumnType.LONG;
        }
        if (start.type() == ColumnType.DATETIME
                && stop.type() == ColumnType.DATETIME
                && step.type() == ColumnType.TIMESPAN) {
            return ColumnType.DATETIME;
        }
        if (start.type() == ColumnType.TIMESPAN
                && stop.type() == ColumnType.TIMESPAN
                && step.type() == ColumnType.TIMESPAN) {
            return ColumnType.TIMESPAN;
        }
        throw binder.error(
                DiagnosticCode.TYPE_MISMATCH,
                span,
                "range needs numbers, or datetimes with a timespan step, or timespans; got "
                        + start.type().kqlName() + ", " + stop.type().kqlName() + ", "
                        + step.type().kqlName());
    }

    /**
     * make-series (make-series-operator) with its start, end and step: bound here, lowered by
     * {@link MakeSeries}. Without {@code from} (or {@code to}) each series starts at its first bin with data
     * (ends after its last), the bins counted from zero of the axis type as bin() counts them.
     */
    PlanNode makeSeries(PlanNode input, QueryOperator.MakeSeriesOperator makeSeries) {
        boolean nonEmpty = false;
        for (Clause.OperatorParameter parameter : makeSeries.parameters()) {
            if (!parameter.name().equalsIgnoreCase("kind")) {
                throw binder.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE, parameter.span(), "make-series " + parameter.name());
            }
            String kind = binder.literalText(parameter.value());
            if (!kind.equals("nonempty")) {
                throw binder.error(
                        DiagnosticCode.INVALID_VALUE, parameter.value().span(), "make-series kind", kind);
            }
            nonEmpty = true;
        }
        if (makeSeries.range().isEmpty()) {
            throw binder.error(DiagnosticCode.UNSUPPORTED_FEATURE, makeSeries.span(), "make-series without a step");
        }
        Optional<Expression> startSyntax;
        Optional<Expression> stopSyntax;
        Expression stepSyntax;
        switch (makeSeries.range().get()) {
            case Clause.MakeSeriesInRange in -> {
                startSyntax = Optional.of(in.start());
                stopSyntax = Optional.of(in.stop());
                stepSyntax = in.step();
            }
            case Clause.MakeSeriesFromTo fromTo -> {
                startSyntax = fromTo.from();
                stopSyntax = fromTo.to();
                stepSyntax = fromTo.step();
            }
        }
        RowScope scope = new RowScope(input.columns());
        ScalarExpression axis = binder.scalars.scalar(makeSeries.axis(), scope);
        ScalarExpression step = binder.scalars.scalar(stepSyntax, RowScope.EMPTY);
        ScalarExpression start;
        if (startSyntax.isPresent()) {
            start = binder.scalars.scalar(startSyntax.get(), RowScope.EMPTY);
        } else {
            start = seriesOrigin(axis, step, stepSyntax.span());
        }
        ScalarExpression stop = start;
        if (stopSyntax.isPresent()) {
            stop = binder.scalars.scalar(stopSyntax.get(), RowScope.EMPTY);
        }
        ColumnType axisType =
                rangeType(start, stop, step, makeSeries.range().get().span());
        boolean compatible =
                axis.type() == axisType || (Conversions.isNumeric(axis.type()) && Conversions.isNumeric(axisType));
        if (!compatible) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    makeSeries.axis().span(),
                    "make-series axis of type " + axis.type().kqlName() + " with a " + axisType.kqlName() + " range");
        }
        String axisName = binder.projects.resultName(makeSeries.axis()).orElse("Column1");
        Set<String> taken = new HashSet<>();
        List<ScalarExpression> keys = new ArrayList<>();
        List<PlanColumn> keyColumns = new ArrayList<>();
        for (Expression item : makeSeries.groupBy()) {
            ProjectOperators.NamedValue named = binder.projects.named(item, scope, taken, keyColumns.size());
            keys.add(named.value());
            keyColumns.add(new PlanColumn(
                    Aggregations.unique(named.name(), taken), named.value().type()));
        }
        List<PlanNode.AggregateCall> aggregates = new ArrayList<>();
        List<PlanColumn> aggregateColumns = new ArrayList<>();
        List<ScalarExpression> defaults = new ArrayList<>();
        for (Clause.MakeSeriesAggregate item : makeSeries.aggregates()) {
            Optional<String> declared = Optional.empty();
            Expression value = item.aggregate();
            if (value instanceof Expression.NamedExpression named
                    && named.names().size() == 1) {
                declared = Optional.of(named.names().get(0));
                value = named.value();
            }
            while (value instanceof Expression.Parenthesized parenthesized) {
                value = parenthesized.expression();
            }
            if (!(value instanceof Expression.FunctionCall call)) {
                throw binder.error(DiagnosticCode.EXPECTED_AGGREGATE, value.span());
            }
            binder.aggregations.aggregate(input, scope, call, declared, taken, aggregates, aggregateColumns);
            ColumnType type = aggregateColumns.get(aggregateColumns.size() - 1).type();
            if (!Conversions.isNumeric(type) && type != ColumnType.DATETIME && type != ColumnType.TIMESPAN) {
                throw binder.error(
                        DiagnosticCode.TYPE_MISMATCH,
                        call.span(),
                        "make-series takes aggregates with numeric results, not " + type.kqlName());
            }
            ScalarExpression fallback = Constant.ofLong(0);
            if (item.defaultValue().isPresent()) {
                fallback = binder.scalars.scalar(item.defaultValue().get(), RowScope.EMPTY);
                if (!(fallback instanceof Constant)) {
                    throw binder.error(
                            DiagnosticCode.EXPECTED_CONSTANT,
                            item.defaultValue().get().span(),
                            "default");
                }
            }
            defaults.add(fallback);
        }
        if (taken.contains(axisName)) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    makeSeries.axis().span(),
                    "make-series names two columns " + axisName);
        }
        if (Conversions.isNumeric(axisType)) {
            axis = binder.conversions.convert(axis, axisType);
            start = binder.conversions.convert(start, axisType);
            stop = binder.conversions.convert(stop, axisType);
            step = binder.conversions.convert(step, axisType);
        }
        // kind=nonempty: "Produces default result when the input of make-series operator is empty"; the page shows
        // it without by and with from and to; with by columns (which values?) or data-derived bounds it is refused
        if (nonEmpty && (!keys.isEmpty() || startSyntax.isEmpty() || stopSyntax.isEmpty())) {
            throw binder.error(
                    DiagnosticCode.UNSUPPORTED_FEATURE,
                    makeSeries.span(),
                    "make-series kind=nonempty with by columns or without from and to");
        }
        return MakeSeries.lower(
                input,
                new MakeSeries.Axis(axis, axisName, start, stop, step, startSyntax.isPresent(), stopSyntax.isPresent()),
                keys,
                keyColumns,
                aggregates,
                aggregateColumns,
                defaults,
                nonEmpty);
    }

    /**
     * Where the bins of a make-series without {@code from} are counted from: zero of the axis type, as
     * {@code bin()} rounds (make-series-operator: "the first bin, or step, that has data"). For a datetime axis
     * that is 1970-01-01 here, while Kusto counts datetimes in ticks from 0001-01-01; the two agree exactly when
     * the step divides the 719,162 days between them, so other steps (such as 7d) are refused rather than
     * binned differently.
     */
    ScalarExpression seriesOrigin(ScalarExpression axis, ScalarExpression step, Span span) {
        return switch (axis.type()) {
            case DATETIME -> {
                if (!(step instanceof Constant constant) || !(constant.value() instanceof Duration size)) {
                    throw binder.error(
                            DiagnosticCode.EXPECTED_CONSTANT, span, "timespan step of a make-series without from");
                }
                long between = Duration.ofDays(719_162).getSeconds() * 1_000_000L;
                boolean divides = false;
                if (!size.isNegative()
                        && !size.isZero()
                        && size.getSeconds() <= Duration.ofDays(719_162).getSeconds()) {
                    long micros = size.getSeconds() * 1_000_000L + size.getNano() / 1_000;
                    divides = micros > 0 && between % micros == 0;
                }
                if (!divides) {
                    throw binder.error(
                            DiagnosticCode.UNSUPPORTED_FEATURE,
                            span,
                            "make-series without from over datetimes with a step that does not divide 719,162 days"
                                    + " (where Kusto's bins start is not certain); give from");
                }
                yield new Constant(ColumnType.DATETIME, Instant.EPOCH);
            }
            case TIMESPAN -> new Constant(ColumnType.TIMESPAN, Duration.ZERO);
            case INT, LONG -> Constant.ofLong(0L);
            case REAL -> new Constant(ColumnType.REAL, 0.0);
            case STRING, BOOL, GUID, DYNAMIC ->
                throw binder.error(
                        DiagnosticCode.TYPE_MISMATCH,
                        span,
                        "make-series axis of type " + axis.type().kqlName());
        };
    }

    /** series_* functions that are one value (series_stats_dynamic, series_outliers) and range(). */
    ScalarExpression seriesFunction(Expression.FunctionCall call, RowScope scope) {
        switch (call.name()) {
            case "series_stats_dynamic" -> {
                binder.functions.arity(call, 1, 2);
                ScalarExpression ignore = Constant.ofBool(false);
                if (call.arguments().size() > 1) {
                    ignore = binder.scalars.toBool(
                            binder.functions.argument(call, 1, scope),
                            call.arguments().get(1).span());
                }
                return ScalarBinder.call(ScalarFunction.SERIES_STATS, ColumnType.DYNAMIC, series(call, scope), ignore);
            }
            case "series_outliers" -> {
                binder.functions.arity(call, 1, 5);
                String kind = optionalChoice(call, 1, scope, "ctukey", Set.of("ctukey", "tukey"), "kind");
                ScalarExpression ignore = JoinOperators.nullOf(ColumnType.REAL);
                if (call.arguments().size() > 2) {
                    ignore = binder.functions.number(call, 2, scope);
                }
                ScalarExpression minimum = new Constant(ColumnType.REAL, 10.0);
                ScalarExpression maximum = new Constant(ColumnType.REAL, 90.0);
                if (call.arguments().size() > 3) {
                    minimum = binder.functions.number(call, 3, scope);
                }
                if (call.arguments().size() > 4) {
                    maximum = binder.functions.number(call, 4, scope);
                }
                return ScalarBinder.call(
                        ScalarFunction.SERIES_OUTLIERS,
                        ColumnType.DYNAMIC,
                        series(call, scope),
                        Constant.ofString(kind),
                        ignore,
                        minimum,
                        maximum);
            }
            case "range" -> {
                binder.functions.arity(call, 2, 3);
                ScalarExpression start = binder.functions.argument(call, 0, scope);
                ScalarExpression stop = binder.functions.argument(call, 1, scope);
                ScalarExpression step = Constant.ofLong(1);
                if (call.arguments().size() > 2) {
                    step = binder.functions.argument(call, 2, scope);
                }
                ColumnType type = rangeType(start, stop, step, call.span());
                if (Conversions.isNumeric(type)) {
                    step = binder.conversions.convert(step, type);
                }
                return ScalarBinder.call(
                        ScalarFunction.RANGE_ARRAY,
                        ColumnType.DYNAMIC,
                        binder.conversions.convert(start, type),
                        binder.conversions.convert(stop, type),
                        step);
            }
            default ->
                throw binder.error(
                        DiagnosticCode.TYPE_MISMATCH,
                        call.span(),
                        call.name() + " returns several columns: use extend (a, b, ...) = " + call.name() + "(...)");
        }
    }

    ScalarExpression series(Expression.FunctionCall call, RowScope scope) {
        ScalarExpression series = binder.functions.argument(call, 0, scope);
        if (series.type() != ColumnType.DYNAMIC) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    call.arguments().get(0).span(),
                    call.name() + " takes a dynamic array, got " + series.type().kqlName());
        }
        return series;
    }

    String optionalChoice(
            Expression.FunctionCall call,
            int index,
            RowScope scope,
            String fallback,
            Set<String> choices,
            String what) {
        if (call.arguments().size() <= index) {
            return fallback;
        }
        String value = binder.functions.constantString(call, index, scope, what).toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return fallback;
        }
        if (!choices.contains(value)) {
            throw binder.error(
                    DiagnosticCode.INVALID_VALUE, call.arguments().get(index).span(), what, value);
        }
        return value;
    }

    /**
     * The columns of a series function that returns several (series_fit_line, series_stats,
     * series_decompose_anomalies): {@code (a, b) = f(x)} names the first ones, an unnamed {@code f(x)}
     * gives {@code f_x_field} (series-fit-line-function, series-stats-function). Empty for other items.
     */
    Optional<List<ProjectOperators.NamedValue>> seriesColumns(Expression item, RowScope scope) {
        List<String> names = List.of();
        Expression value = item;
        if (item instanceof Expression.NamedExpression named) {
            names = named.names();
            value = named.value();
        }
        if (!(value instanceof Expression.FunctionCall call)
                || SeriesFunctions.fields(call.name()).isEmpty()) {
            return Optional.empty();
        }
        List<SeriesFunctions.Field> fields = SeriesFunctions.fields(call.name()).get();
        if (names.size() == 1) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    item.span(),
                    call.name() + " returns several columns: name them as (a, b, ...) = " + call.name() + "(...)");
        }
        if (names.size() > fields.size()) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    item.span(),
                    call.name() + " returns " + fields.size() + " columns, not " + names.size());
        }
        ScalarExpression result = seriesObject(call, scope);
        String prefix = call.name() + "_"
                + binder.projects.resultName(call.arguments().get(0)).orElse("") + "_";
        List<ProjectOperators.NamedValue> columns = new ArrayList<>();
        int count = names.isEmpty() ? fields.size() : names.size();
        for (int index = 0; index < count; index++) {
            SeriesFunctions.Field field = fields.get(index);
            String name = prefix + field.name();
            if (!names.isEmpty()) {
                name = names.get(index);
            }
            ScalarExpression member = ScalarBinder.call(
                    ScalarFunction.DYNAMIC_MEMBER, ColumnType.DYNAMIC, result, Constant.ofString(field.name()));
            columns.add(new ProjectOperators.NamedValue(name, binder.conversions.convert(member, field.type())));
        }
        return Optional.of(columns);
    }

    /** The object a several-column series function computes, one member per column. */
    ScalarExpression seriesObject(Expression.FunctionCall call, RowScope scope) {
        switch (call.name()) {
            case "series_fit_line" -> {
                binder.functions.arity(call, 1, 1);
                return ScalarBinder.call(ScalarFunction.SERIES_FIT_LINE, ColumnType.DYNAMIC, series(call, scope));
            }
            case "series_stats" -> {
                binder.functions.arity(call, 1, 2);
                ScalarExpression ignore = Constant.ofBool(false);
                if (call.arguments().size() > 1) {
                    ignore = binder.scalars.toBool(
                            binder.functions.argument(call, 1, scope),
                            call.arguments().get(1).span());
                }
                return ScalarBinder.call(ScalarFunction.SERIES_STATS, ColumnType.DYNAMIC, series(call, scope), ignore);
            }
            default -> {
                // series_decompose_anomalies(Series, Threshold, Seasonality, Trend, Test_points, AD_method,
                // Seasonality_threshold); an empty or missing argument takes its default
                binder.functions.arity(call, 1, 7);
                ScalarExpression threshold = new Constant(ColumnType.REAL, 1.5);
                if (call.arguments().size() > 1) {
                    threshold = binder.functions.number(call, 1, scope);
                }
                ScalarExpression seasonality = Constant.ofLong(-1);
                if (call.arguments().size() > 2) {
                    seasonality = binder.functions.integer(call, 2, scope);
                }
                String trend = optionalChoice(call, 3, scope, "avg", Set.of("avg", "linefit", "none"), "trend");
                ScalarExpression testPoints = Constant.ofLong(0);
                if (call.arguments().size() > 4) {
                    testPoints = binder.functions.integer(call, 4, scope);
                }
                String method = optionalChoice(call, 5, scope, "ctukey", Set.of("ctukey", "tukey"), "AD_method");
                ScalarExpression seasonalityThreshold = new Constant(ColumnType.REAL, 0.6);
                if (call.arguments().size() > 6) {
                    seasonalityThreshold = binder.functions.number(call, 6, scope);
                }
                return ScalarBinder.call(
                        ScalarFunction.SERIES_DECOMPOSE_ANOMALIES,
                        ColumnType.DYNAMIC,
                        series(call, scope),
                        threshold,
                        seasonality,
                        Constant.ofString(trend),
                        testPoints,
                        Constant.ofString(method),
                        seasonalityThreshold);
            }
        }
    }
}
