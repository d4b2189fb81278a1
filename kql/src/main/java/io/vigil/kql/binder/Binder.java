package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.BinaryOperator;
import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.LiteralKind;
import io.vigil.kql.syntax.NullsPosition;
import io.vigil.kql.syntax.ParseResult;
import io.vigil.kql.syntax.QueryOperator;
import io.vigil.kql.syntax.SortDirection;
import io.vigil.kql.syntax.Span;
import io.vigil.kql.syntax.Statement;
import io.vigil.plan.AggregateFunction;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.ColumnReference;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.plan.WindowFunction;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds a parsed query to a catalog and lowers it to the plan: resolves tables, columns and let
 * variables, types every expression, names result columns as KQL does, and reports user errors as
 * diagnostics (KQL2xx) with spans. It never throws on user error: a statement that fails to bind
 * stops at its first error, and binding goes on with the next statement.
 */
public final class Binder {
    /** The name of the hidden column that carries {@code ingestion_time()} through the plan. */
    public static final String INGESTION_TIME = "$IngestionTime";

    private final String source;
    private final QueryCatalog catalog;
    private final BindOptions options;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, Binding> lets = new HashMap<>();

    /** A let variable: a tabular value, a scalar value, a user-defined function, or a let that failed. */
    private sealed interface Binding {}

    private record TabularBinding(PlanNode plan) implements Binding {}

    /** A scalar; {@code elements} holds the values of a constant dynamic array, for {@code in}. */
    private record ScalarBinding(ScalarExpression value, Optional<List<ScalarExpression>> elements)
            implements Binding {}

    /**
     * {@code let f = (params) { body }}: expanded inline at every call site, in the lets visible where it
     * was declared ({@code closure}) plus its parameters, as lexical scoping asks (let-statement).
     */
    private record FunctionBinding(
            Expression.FunctionDeclaration declaration, Map<String, Binding> closure, boolean tabular)
            implements Binding {}

    /** A let whose value failed to bind; its diagnostic is already recorded, so uses stop silently. */
    private record FailedBinding() implements Binding {}

    /** How deep user functions may call each other before binding gives up (guards expansion blow-up). */
    private static final int MAXIMUM_EXPANSION_DEPTH = 32;

    private int expansionDepth;

    /** The id of the next spool (materialize, as hint.materialized=true); ids are unique within a query. */
    private int nextSpoolId;

    /** The window functions of the extend or project being bound, or null. */
    private WindowCollector windows;

    /** The columns an expression can refer to; {@code leftCount} splits a join's two sides, or is -1. */
    private record RowScope(List<PlanColumn> columns, int leftCount) {
        static final RowScope EMPTY = new RowScope(List.of(), -1);

        RowScope(List<PlanColumn> columns) {
            this(columns, -1);
        }
    }

    /** Stops binding of one statement at a user error that is already recorded. */
    private static final class BindError extends RuntimeException {
        BindError() {
            super(null, null, false, false);
        }
    }

    /** The last {@code render} bound, if any. */
    private RenderHint render;

    private Binder(String source, QueryCatalog catalog, BindOptions options) {
        this.source = requireNonNull(source, "source is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.options = requireNonNull(options, "options is null");
    }

    /** Binds the result statement of a parsed query; parse errors are returned without binding. */
    public static BoundQuery bind(String source, ParseResult parsed, QueryCatalog catalog, BindOptions options) {
        if (parsed.hasErrors()) {
            return new BoundQuery(Optional.empty(), parsed.diagnostics());
        }
        Binder binder = new Binder(source, catalog, options);
        Optional<PlanNode> plan = binder.script(parsed.script().statements());
        List<Diagnostic> all = new ArrayList<>(parsed.diagnostics());
        all.addAll(binder.diagnostics);
        if (all.stream().anyMatch(Diagnostic::isError)) {
            return new BoundQuery(Optional.empty(), all);
        }
        return new BoundQuery(plan, all, Optional.ofNullable(binder.render));
    }

    private BindError error(DiagnosticCode code, Span span, Object... arguments) {
        diagnostics.add(Diagnostic.create(source, code, span, arguments));
        return new BindError();
    }

    private Optional<PlanNode> script(List<Statement> statements) {
        PlanNode result = null;
        boolean sawQuery = false;
        for (Statement statement : statements) {
            Map<String, Binding> before = new HashMap<>(lets);
            try {
                switch (statement) {
                    case Statement.LetStatement let -> let(let);
                    case Statement.SetStatement set -> {
                        // query options (set notruncation, ...) do not change results here
                    }
                    case Statement.ExpressionStatement expression -> {
                        sawQuery = true;
                        result = visibleOnly(tabular(expression.expression()));
                    }
                }
                endStatement(statement, before);
            } catch (BindError error) {
                endStatement(statement, before);
                if (statement instanceof Statement.LetStatement let) {
                    lets.put(let.name(), new FailedBinding());
                }
                if (statement instanceof Statement.ExpressionStatement) {
                    sawQuery = true;
                    result = null;
                }
            }
        }
        if (!sawQuery) {
            Span end = Span.empty(source.length());
            diagnostics.add(Diagnostic.create(source, DiagnosticCode.NO_QUERY, end));
        }
        return Optional.ofNullable(result);
    }

    /**
     * Drops the names {@code as} bound inside a statement: they name a part of that statement for its
     * later parts (as-operator), while a let's own name stays for the statements that follow.
     */
    private void endStatement(Statement statement, Map<String, Binding> before) {
        Map<String, Binding> kept = new HashMap<>(before);
        if (statement instanceof Statement.LetStatement let && lets.containsKey(let.name())) {
            kept.put(let.name(), lets.get(let.name()));
        }
        lets.clear();
        lets.putAll(kept);
    }

    private void let(Statement.LetStatement let) {
        Expression value = let.value();
        if (value instanceof Expression.FunctionDeclaration declaration) {
            // user functions bind at their call sites, where the arguments are known
            Map<String, Binding> closure = new HashMap<>(lets);
            lets.put(let.name(), new FunctionBinding(declaration, closure, returnsTabular(declaration, closure)));
            return;
        }
        if (isTabular(value)) {
            lets.put(let.name(), new TabularBinding(tabular(value)));
            return;
        }
        ScalarExpression scalar = scalar(value, RowScope.EMPTY);
        lets.put(let.name(), new ScalarBinding(scalar, dynamicElements(value)));
    }

    /** The elements of a constant {@code dynamic([...])}, as typed constants. */
    private Optional<List<ScalarExpression>> dynamicElements(Expression value) {
        if (value instanceof Expression.Parenthesized parenthesized) {
            return dynamicElements(parenthesized.expression());
        }
        if (value instanceof Expression.DynamicLiteral literal
                && literal.value() instanceof Expression.DynamicArray array) {
            List<ScalarExpression> elements = new ArrayList<>();
            for (Expression element : array.elements()) {
                elements.add(scalar(element, RowScope.EMPTY));
            }
            return Optional.of(elements);
        }
        return Optional.empty();
    }

    /** Whether an expression is tabular: a pipeline, a table, a tabular let, or a tabular operator. */
    private boolean isTabular(Expression expression) {
        return switch (expression) {
            case Expression.Pipe pipe -> true;
            case Expression.OperatorExpression operator -> true;
            case Expression.Parenthesized parenthesized -> isTabular(parenthesized.expression());
            case Expression.NameReference name ->
                lets.get(name.name()) instanceof TabularBinding
                        || (lets.get(name.name()) instanceof FunctionBinding function && function.tabular())
                        || (!lets.containsKey(name.name())
                                && catalog.table(name.name()).isPresent());
            case Expression.WildcardName wildcard -> true;
            case Expression.FunctionCall call ->
                call.name().equals("table")
                        || call.name().equals("materialize")
                        || (lets.get(call.name()) instanceof FunctionBinding function && function.tabular());
            default -> false;
        };
    }

    /**
     * Whether a user function returns a table, judged from its last statement with its tabular
     * parameters ({@code T:(*)}) and its own tabular lets in view.
     */
    private boolean returnsTabular(Expression.FunctionDeclaration declaration, Map<String, Binding> closure) {
        Map<String, Binding> saved = new HashMap<>(lets);
        try {
            lets.clear();
            lets.putAll(closure);
            PlanNode placeholder = new PlanNode.Values(List.of(), List.of());
            for (Clause.FunctionParameter parameter : declaration.parameters()) {
                if (parameter.type() instanceof Clause.TabularSchema) {
                    lets.put(parameter.name(), new TabularBinding(placeholder));
                } else {
                    lets.put(
                            parameter.name(), new ScalarBinding(Constant.nullOf(ColumnType.DYNAMIC), Optional.empty()));
                }
            }
            boolean tabular = false;
            for (Statement statement : declaration.body().statements()) {
                switch (statement) {
                    case Statement.LetStatement let -> {
                        if (let.value() instanceof Expression.FunctionDeclaration nested) {
                            Map<String, Binding> visible = new HashMap<>(lets);
                            lets.put(let.name(), new FunctionBinding(nested, visible, returnsTabular(nested, visible)));
                        } else if (isTabular(let.value())) {
                            lets.put(let.name(), new TabularBinding(placeholder));
                        } else {
                            lets.put(
                                    let.name(),
                                    new ScalarBinding(Constant.nullOf(ColumnType.DYNAMIC), Optional.empty()));
                        }
                    }
                    case Statement.SetStatement set -> {
                        // no effect on the result kind
                    }
                    case Statement.ExpressionStatement expression -> tabular = isTabular(expression.expression());
                }
            }
            return tabular;
        } finally {
            lets.clear();
            lets.putAll(saved);
        }
    }

    /** The result of expanding a user function: a plan for a tabular function, else a scalar. */
    private record Expansion(Optional<PlanNode> plan, Optional<ScalarExpression> value) {}

    /**
     * Expands a call of a user function inline: arguments bind in the caller's scope, the body in the
     * function's closure plus its parameters; {@code piped} is the input of {@code T | invoke f()},
     * which becomes the first parameter (invoke-operator).
     */
    private Expansion expand(
            String name,
            FunctionBinding function,
            List<Expression> arguments,
            Optional<PlanNode> piped,
            RowScope scope,
            Span span) {
        List<Clause.FunctionParameter> parameters = function.declaration().parameters();
        int offset = 0;
        if (piped.isPresent()) {
            offset = 1;
        }
        int required = 0;
        for (Clause.FunctionParameter parameter : parameters) {
            if (parameter.defaultValue().isEmpty()) {
                required++;
            }
        }
        int given = arguments.size() + offset;
        if (given < required || given > parameters.size()) {
            String expected = Integer.toString(required);
            if (required != parameters.size()) {
                expected = required + " to " + parameters.size();
            }
            throw error(DiagnosticCode.WRONG_ARGUMENT_COUNT, span, name, expected, given);
        }
        if (expansionDepth >= MAXIMUM_EXPANSION_DEPTH) {
            throw error(
                    DiagnosticCode.UNSUPPORTED_FEATURE,
                    span,
                    "user functions nested deeper than " + MAXIMUM_EXPANSION_DEPTH);
        }
        Map<String, Binding> bound = new HashMap<>();
        for (int index = 0; index < parameters.size(); index++) {
            Clause.FunctionParameter parameter = parameters.get(index);
            boolean tabularParameter = parameter.type() instanceof Clause.TabularSchema;
            if (index == 0 && piped.isPresent()) {
                bound.put(parameter.name(), new TabularBinding(piped.get()));
                continue;
            }
            int position = index - offset;
            if (position < arguments.size()) {
                Expression argument = arguments.get(position);
                if (tabularParameter) {
                    bound.put(parameter.name(), new TabularBinding(tabular(argument)));
                } else {
                    bound.put(
                            parameter.name(),
                            new ScalarBinding(
                                    parameterValue(parameter, scalar(argument, scope)), dynamicElements(argument)));
                }
                continue;
            }
            // defaults bind where the function was declared
            Map<String, Binding> saved = new HashMap<>(lets);
            try {
                lets.clear();
                lets.putAll(function.closure());
                Expression defaultValue = parameter.defaultValue().orElseThrow();
                if (tabularParameter) {
                    bound.put(parameter.name(), new TabularBinding(tabular(defaultValue)));
                } else {
                    bound.put(
                            parameter.name(),
                            new ScalarBinding(
                                    parameterValue(parameter, scalar(defaultValue, RowScope.EMPTY)),
                                    dynamicElements(defaultValue)));
                }
            } finally {
                lets.clear();
                lets.putAll(saved);
            }
        }
        Map<String, Binding> saved = new HashMap<>(lets);
        expansionDepth++;
        try {
            lets.clear();
            lets.putAll(function.closure());
            lets.putAll(bound);
            Optional<PlanNode> plan = Optional.empty();
            Optional<ScalarExpression> value = Optional.empty();
            for (Statement statement : function.declaration().body().statements()) {
                Map<String, Binding> before = new HashMap<>(lets);
                switch (statement) {
                    case Statement.LetStatement let -> let(let);
                    case Statement.SetStatement set -> {
                        // query options do not change results here
                    }
                    case Statement.ExpressionStatement expression -> {
                        if (function.tabular()) {
                            plan = Optional.of(tabular(expression.expression()));
                        } else {
                            value = Optional.of(scalar(expression.expression(), RowScope.EMPTY));
                        }
                    }
                }
                endStatement(statement, before);
            }
            if (plan.isEmpty() && value.isEmpty()) {
                throw error(
                        DiagnosticCode.NO_QUERY, function.declaration().body().span());
            }
            return new Expansion(plan, value);
        } finally {
            expansionDepth--;
            lets.clear();
            lets.putAll(saved);
        }
    }

    /** A scalar argument converted to its declared parameter type when the two differ. */
    private ScalarExpression parameterValue(Clause.FunctionParameter parameter, ScalarExpression value) {
        if (parameter.type() instanceof Clause.TypeReference type) {
            ColumnType declared = typeName(type);
            if (declared != value.type()
                    && !(value instanceof Constant constant
                            && constant.value() == null
                            && constant.type() != declared)) {
                return convert(value, declared);
            }
            if (value instanceof Constant constant && constant.value() == null) {
                return Constant.nullOf(declared);
            }
        }
        return value;
    }

    private PlanNode tabularCall(
            String name, FunctionBinding function, List<Expression> arguments, Optional<PlanNode> piped, Span span) {
        if (!function.tabular()) {
            throw error(DiagnosticCode.EXPECTED_TABULAR, span);
        }
        return expand(name, function, arguments, piped, RowScope.EMPTY, span)
                .plan()
                .orElseThrow();
    }

    private ScalarExpression scalarCall(
            String name, FunctionBinding function, List<Expression> arguments, RowScope scope, Span span) {
        if (function.tabular()) {
            throw error(DiagnosticCode.EXPECTED_SCALAR, span);
        }
        return expand(name, function, arguments, Optional.empty(), scope, span)
                .value()
                .orElseThrow();
    }

    private PlanNode visibleOnly(PlanNode plan) {
        if (plan.columns().stream().noneMatch(PlanColumn::hidden)) {
            return plan;
        }
        List<ScalarExpression> expressions = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        for (int index = 0; index < plan.columns().size(); index++) {
            PlanColumn column = plan.columns().get(index);
            if (!column.hidden()) {
                expressions.add(reference(plan, index));
                columns.add(column);
            }
        }
        return new PlanNode.Project(plan, expressions, columns);
    }

    private static ColumnReference reference(PlanNode plan, int index) {
        PlanColumn column = plan.columns().get(index);
        return new ColumnReference(index, column.name(), column.type());
    }

    // ---------------------------------------------------------------- tabular expressions

    private PlanNode tabular(Expression expression) {
        return switch (expression) {
            case Expression.Pipe pipe -> {
                PlanNode input = tabular(pipe.source());
                if (pipe.operator() instanceof QueryOperator.UnionOperator union) {
                    // the piped input is a leg too, named by an 'as' that ends it
                    yield union(Optional.of(input), asName(pipe.source()), union);
                }
                yield operator(input, pipe.operator());
            }
            case Expression.Parenthesized parenthesized -> tabular(parenthesized.expression());
            case Expression.NameReference name -> table(name.name(), name.span());
            case Expression.OperatorExpression operator -> sourceOperator(operator.operator());
            case Expression.FunctionCall call
            when call.name().equals("materialize") && call.arguments().size() == 1 ->
                // computed once per query, every reference reads the same rows (materialize-function)
                new PlanNode.Spool(nextSpoolId++, tabular(call.arguments().get(0)));
            case Expression.FunctionCall call
            when call.name().equals("table") && call.arguments().size() == 1 -> tableFunction(call);
            case Expression.FunctionCall call
            when lets.get(call.name()) instanceof FunctionBinding function ->
                tabularCall(call.name(), function, call.arguments(), Optional.empty(), call.span());
            default -> throw error(DiagnosticCode.EXPECTED_TABULAR, expression.span());
        };
    }

    /**
     * {@code table(name)}: the name must be a constant string (table-function), also a function parameter
     * bound to a constant at the call site ({@code let f = (tableName:string) { table(tableName) }}).
     */
    private PlanNode tableFunction(Expression.FunctionCall call) {
        Expression argument = call.arguments().get(0);
        if (argument instanceof Expression.Literal literal && literal.kind() == LiteralKind.STRING) {
            return table(literal.value(), call.span());
        }
        ScalarExpression name = scalar(argument, RowScope.EMPTY);
        if (name instanceof Constant constant && constant.value() instanceof String text) {
            return table(text, call.span());
        }
        throw error(DiagnosticCode.EXPECTED_CONSTANT, argument.span(), "table name");
    }

    private PlanNode table(String name, Span span) {
        Binding binding = lets.get(name);
        if (binding instanceof TabularBinding tabular) {
            return tabular.plan();
        }
        if (binding instanceof FunctionBinding function) {
            // a function without parameters may be named without parentheses
            return tabularCall(name, function, List.of(), Optional.empty(), span);
        }
        if (binding instanceof FailedBinding) {
            throw new BindError();
        }
        if (binding instanceof ScalarBinding) {
            throw error(DiagnosticCode.EXPECTED_TABULAR, span);
        }
        Optional<CatalogTable> table = catalog.table(name);
        if (table.isEmpty()) {
            throw error(DiagnosticCode.UNKNOWN_TABLE, span, name);
        }
        return scan(table.get());
    }

    private PlanNode scan(CatalogTable table) {
        List<PlanColumn> columns = new ArrayList<>();
        List<String> physical = new ArrayList<>(table.physicalNames());
        for (Column column : table.schema().columns()) {
            columns.add(new PlanColumn(column.name(), column.type()));
        }
        if (table.ingestionTimeColumn().isPresent()) {
            columns.add(new PlanColumn(INGESTION_TIME, ColumnType.DATETIME, true));
            physical.add(table.ingestionTimeColumn().get());
        }
        PlanNode scan = new PlanNode.TableScan(table.schema().name(), columns, physical);
        if (!table.materialized()) {
            // the store creates a table at its first write: until then it exists, with its columns, and is empty
            return new PlanNode.Values(columns, List.of());
        }
        int time = table.schema().indexOf("TimeGenerated");
        if (options.timeRange().isEmpty()
                || time < 0
                || table.schema().columns().get(time).type() != ColumnType.DATETIME) {
            return scan;
        }
        // the request's timespan applies to every table, as Log Analytics' implicit time filter does
        BindOptions.TimeRange range = options.timeRange().get();
        ColumnReference timeGenerated = reference(scan, time);
        ScalarExpression condition = call(
                ScalarFunction.AND,
                ColumnType.BOOL,
                call(
                        ScalarFunction.GREATER_EQUAL,
                        ColumnType.BOOL,
                        timeGenerated,
                        new Constant(ColumnType.DATETIME, range.start())),
                call(
                        ScalarFunction.LESS_EQUAL,
                        ColumnType.BOOL,
                        timeGenerated,
                        new Constant(ColumnType.DATETIME, range.end())));
        return new PlanNode.Filter(scan, condition);
    }

    private PlanNode sourceOperator(QueryOperator operator) {
        return switch (operator) {
            case QueryOperator.UnionOperator union -> union(Optional.empty(), Optional.empty(), union);
            case QueryOperator.PrintOperator print -> print(print);
            case QueryOperator.DataTableOperator datatable -> datatable(datatable);
            case QueryOperator.RangeOperator range -> range(range);
            case QueryOperator.SearchOperator search -> search(Optional.empty(), search);
            // a self-hosted SIEM must not fetch what a rule names (externaldata-operator reads blobs and URLs)
            case QueryOperator.ExternalDataOperator external ->
                throw error(DiagnosticCode.NO_OUTBOUND_NETWORK, external.span(), "externaldata");
            default -> throw error(DiagnosticCode.UNSUPPORTED_OPERATOR, operator.span(), operatorName(operator));
        };
    }

    private PlanNode operator(PlanNode input, QueryOperator operator) {
        return switch (operator) {
            case QueryOperator.WhereOperator where ->
                new PlanNode.Filter(input, condition(where.predicate(), new RowScope(input.columns())));
            case QueryOperator.ProjectOperator project -> withWindows(input, rows -> project(rows, project.columns()));
            case QueryOperator.ProjectAwayOperator away -> projectAway(input, away.columns());
            case QueryOperator.ProjectKeepOperator keep -> projectKeep(input, keep.columns());
            case QueryOperator.ProjectRenameOperator rename -> projectRename(input, rename.columns());
            case QueryOperator.ProjectReorderOperator reorder -> projectReorder(input, reorder.columns());
            case QueryOperator.ExtendOperator extend -> withWindows(input, rows -> extend(rows, extend.columns()));
            case QueryOperator.SummarizeOperator summarize -> summarize(input, summarize);
            case QueryOperator.CountOperator count ->
                new PlanNode.Aggregate(
                        input,
                        List.of(),
                        List.of(new PlanNode.AggregateCall(AggregateFunction.COUNT, List.of(), ColumnType.LONG)),
                        List.of(new PlanColumn("Count", ColumnType.LONG)));
            case QueryOperator.TakeOperator take -> new PlanNode.Limit(input, constantCount(take.count()));
            // rows in random order, the first N of them (sample-operator)
            case QueryOperator.SampleOperator sample ->
                new PlanNode.Sort(
                        input,
                        List.of(new PlanNode.SortKey(
                                new Call(ScalarFunction.RANDOM, List.of(), ColumnType.REAL), true, false)),
                        OptionalLong.of(constantCount(sample.count())));
            case QueryOperator.TopOperator top ->
                new PlanNode.Sort(input, sortKeys(input, top.by()), OptionalLong.of(constantCount(top.count())));
            case QueryOperator.SortOperator sort ->
                new PlanNode.Sort(input, sortKeys(input, sort.by()), OptionalLong.empty());
            case QueryOperator.DistinctOperator distinct -> distinct(input, distinct.columns());
            case QueryOperator.UnionOperator union -> union(Optional.of(input), Optional.empty(), union);
            case QueryOperator.JoinOperator join -> join(input, join);
            case QueryOperator.LookupOperator lookup -> lookup(input, lookup);
            case QueryOperator.SearchOperator search -> search(Optional.of(input), search);
            case QueryOperator.MvExpandOperator expand -> mvExpand(input, expand);
            case QueryOperator.MvApplyOperator apply -> mvApply(input, apply);
            case QueryOperator.MakeSeriesOperator makeSeries -> makeSeries(input, makeSeries);
            case QueryOperator.GetSchemaOperator getSchema -> getSchema(input);
            case QueryOperator.EvaluateOperator evaluate -> evaluate(input, evaluate);
            case QueryOperator.InvokeOperator invoke -> invoke(input, invoke);
            case QueryOperator.ParseOperator parse ->
                parse(input, parse.parameters(), parse.source(), parse.pattern(), false);
            case QueryOperator.ParseWhereOperator parse ->
                parse(input, parse.parameters(), parse.source(), parse.pattern(), true);
            // presentation only: rows pass through (render-operator)
            case QueryOperator.RenderOperator render -> {
                // no effect on the rows; remembered for clients that ask for the visualization
                Map<String, String> properties = new LinkedHashMap<>();
                for (Clause.OperatorParameter property : render.properties()) {
                    properties.put(property.name(), literalText(property.value()));
                }
                this.render = new RenderHint(render.chartType(), properties);
                yield input;
            }
            case QueryOperator.AsOperator as -> as(input, as);
            // serialize marks the rows as ordered (a window of no functions), then extends (serialize-operator)
            case QueryOperator.SerializeOperator serialize -> {
                PlanNode serialized = new PlanNode.Window(input, List.of(), input.columns());
                if (serialize.columns().isEmpty()) {
                    yield serialized;
                }
                yield withWindows(serialized, rows -> extend(rows, serialize.columns()));
            }
            default -> throw error(DiagnosticCode.UNSUPPORTED_OPERATOR, operator.span(), operatorName(operator));
        };
    }

    /**
     * {@code T | as Name}: the rows pass through, and {@code Name} refers to them in the rest of the statement,
     * for example in a join's right side or a union leg; {@code union withsource=} calls a leg ending in
     * {@code as} by that name. With {@code hint.materialized=true} the rows are computed once, as if wrapped in
     * materialize() (as-operator).
     */
    private PlanNode as(PlanNode input, QueryOperator.AsOperator as) {
        PlanNode named = input;
        for (Clause.OperatorParameter parameter : as.parameters()) {
            if (!parameter.name().equalsIgnoreCase("hint.materialized")) {
                throw error(DiagnosticCode.UNSUPPORTED_FEATURE, parameter.span(), "as " + parameter.name());
            }
            String value = sourceText(parameter.value().span()).strip().toLowerCase(Locale.ROOT);
            switch (value) {
                case "true" -> named = new PlanNode.Spool(nextSpoolId++, input);
                case "false" -> named = input;
                default ->
                    throw error(DiagnosticCode.INVALID_VALUE, parameter.value().span(), "hint.materialized", value);
            }
        }
        lets.put(as.name(), new TabularBinding(named));
        return named;
    }

    /** The name an {@code as} at the end of a tabular expression gives it, as union's withsource column shows. */
    private static Optional<String> asName(Expression expression) {
        return switch (expression) {
            case Expression.Parenthesized parenthesized -> asName(parenthesized.expression());
            case Expression.Pipe pipe
            when pipe.operator() instanceof QueryOperator.AsOperator as -> Optional.of(as.name());
            default -> Optional.empty();
        };
    }

    /**
     * {@code evaluate plugin(...)}: bag_unpack ({@link BagUnpack}), pivot ({@link Pivot}), narrow ({@link Narrow})
     * and ipv4_lookup ({@link Ipv4Lookup}) are bound; other plugins are KQL250.
     */
    private PlanNode evaluate(PlanNode input, QueryOperator.EvaluateOperator evaluate) {
        if (!evaluate.parameters().isEmpty()) {
            Clause.OperatorParameter parameter = evaluate.parameters().get(0);
            throw error(DiagnosticCode.UNSUPPORTED_FEATURE, parameter.span(), "evaluate " + parameter.name());
        }
        if (evaluate.plugin() instanceof Expression.FunctionCall call) {
            switch (call.name()) {
                case "bag_unpack" -> {
                    return BagUnpack.lower(
                            input, call, evaluate.outputSchema(), catalog, access(new RowScope(input.columns())));
                }
                case "pivot" -> {
                    return Pivot.lower(
                            input, call, evaluate.outputSchema(), catalog, access(new RowScope(input.columns())));
                }
                case "narrow" -> {
                    if (evaluate.outputSchema().isPresent()) {
                        throw error(DiagnosticCode.UNSUPPORTED_FEATURE, evaluate.span(), "narrow output schema");
                    }
                    return Narrow.lower(input, call, access(new RowScope(input.columns())));
                }
                case "ipv4_lookup" -> {
                    if (evaluate.outputSchema().isPresent()) {
                        throw error(DiagnosticCode.UNSUPPORTED_FEATURE, evaluate.span(), "ipv4_lookup output schema");
                    }
                    arity(call, 3, Integer.MAX_VALUE);
                    PlanNode lookupTable = visibleOnly(tabular(call.arguments().get(0)));
                    PlanNode source = visibleOnly(input);
                    return Ipv4Lookup.lower(source, lookupTable, call, access(new RowScope(source.columns())));
                }
                default -> {
                    // not bound: below
                }
            }
        }
        throw error(DiagnosticCode.UNSUPPORTED_OPERATOR, evaluate.span(), "evaluate " + pluginName(evaluate));
    }

    private static String pluginName(QueryOperator.EvaluateOperator evaluate) {
        if (evaluate.plugin() instanceof Expression.FunctionCall call) {
            return call.name();
        }
        return "plugin";
    }

    /** The KQL word of an operator, for diagnostics. */
    static String operatorName(QueryOperator operator) {
        return switch (operator) {
            case QueryOperator.WhereOperator o -> "where";
            case QueryOperator.ProjectOperator o -> "project";
            case QueryOperator.ProjectAwayOperator o -> "project-away";
            case QueryOperator.ProjectKeepOperator o -> "project-keep";
            case QueryOperator.ProjectRenameOperator o -> "project-rename";
            case QueryOperator.ProjectReorderOperator o -> "project-reorder";
            case QueryOperator.ExtendOperator o -> "extend";
            case QueryOperator.SummarizeOperator o -> "summarize";
            case QueryOperator.CountOperator o -> "count";
            case QueryOperator.TakeOperator o -> "take";
            case QueryOperator.TopOperator o -> "top";
            case QueryOperator.TopNestedOperator o -> "top-nested";
            case QueryOperator.SortOperator o -> "sort";
            case QueryOperator.DistinctOperator o -> "distinct";
            case QueryOperator.JoinOperator o -> "join";
            case QueryOperator.LookupOperator o -> "lookup";
            case QueryOperator.UnionOperator o -> "union";
            case QueryOperator.MvExpandOperator o -> "mv-expand";
            case QueryOperator.MvApplyOperator o -> "mv-apply";
            case QueryOperator.ParseOperator o -> "parse";
            case QueryOperator.ParseWhereOperator o -> "parse-where";
            case QueryOperator.EvaluateOperator o -> "evaluate";
            case QueryOperator.MakeSeriesOperator o -> "make-series";
            case QueryOperator.RenderOperator o -> "render";
            case QueryOperator.AsOperator o -> "as";
            case QueryOperator.InvokeOperator o -> "invoke";
            case QueryOperator.SerializeOperator o -> "serialize";
            case QueryOperator.SearchOperator o -> "search";
            case QueryOperator.FindOperator o -> "find";
            case QueryOperator.GetSchemaOperator o -> "getschema";
            case QueryOperator.SampleOperator o -> "sample";
            case QueryOperator.SampleDistinctOperator o -> "sample-distinct";
            case QueryOperator.ExternalDataOperator o -> "externaldata";
            case QueryOperator.DataTableOperator o -> "datatable";
            case QueryOperator.PrintOperator o -> "print";
            case QueryOperator.RangeOperator o -> "range";
            case QueryOperator.FacetOperator o -> "facet";
            case QueryOperator.ForkOperator o -> "fork";
            case QueryOperator.BadOperator o -> o.text();
        };
    }

    /**
     * {@code parse [kind=simple|relaxed|regex] source with pattern} as one RE2 regular expression whose
     * groups are the columns (parse-operator): {@code *} matches lazily, a string column lazily unless it
     * ends the pattern, numbers by their digits; text is escaped except in regex kind, where it is a
     * regular expression itself. The pattern is a bound parameter, never SQL text. simple and regex leave
     * every column empty or null when the row does not match; relaxed keeps what the expression matched,
     * which here is the same because one expression matches all columns at once. {@code parse-where}
     * drops the rows that do not match (parse-where-operator).
     */
    private PlanNode parse(
            PlanNode input,
            List<Clause.OperatorParameter> parameters,
            Expression sourceExpression,
            List<Clause.ParsePatternElement> pattern,
            boolean whereOnly) {
        String kind = "simple";
        String flags = "";
        for (Clause.OperatorParameter parameter : parameters) {
            if (parameter.name().equals("kind")) {
                kind = sourceText(parameter.value().span()).strip().toLowerCase(java.util.Locale.ROOT);
            } else if (parameter.name().equals("flags")) {
                flags = parseFlags(parameter);
            } else {
                throw error(
                        DiagnosticCode.UNSUPPORTED_FEATURE,
                        parameter.span(),
                        "parse parameter '" + parameter.name() + "'");
            }
        }
        if (!kind.equals("simple") && !kind.equals("relaxed") && !kind.equals("regex")) {
            throw error(DiagnosticCode.INVALID_VALUE, parameters.get(0).span(), "parse kind", kind);
        }
        RowScope scope = new RowScope(input.columns());
        ScalarExpression text = asString(scalar(sourceExpression, scope));
        // pieces of the expression; a column's piece is its group body, captured only in its own copy
        List<String> pieces = new ArrayList<>();
        List<Integer> columnPieces = new ArrayList<>();
        List<Clause.PatternColumn> columns = new ArrayList<>();
        for (int index = 0; index < pattern.size(); index++) {
            boolean last = index == pattern.size() - 1;
            switch (pattern.get(index)) {
                case Clause.PatternWildcard wildcard -> pieces.add(".*?");
                case Clause.PatternText literal -> {
                    if (kind.equals("regex")) {
                        pieces.add("(?:" + literal.literal().value() + ")");
                    } else {
                        pieces.add(escapeRegex(literal.literal().value()));
                    }
                }
                case Clause.PatternColumn column -> {
                    ColumnType type = column.type().map(this::typeName).orElse(ColumnType.STRING);
                    String group = switch (type) {
                        case INT, LONG -> "-?\\d+";
                        case REAL -> "-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?";
                        case BOOL -> "true|false|True|False|TRUE|FALSE";
                        case STRING, GUID, DATETIME, TIMESPAN, DYNAMIC -> {
                            if (last) {
                                yield ".*";
                            }
                            yield ".*?";
                        }
                    };
                    columnPieces.add(pieces.size());
                    pieces.add(group);
                    columns.add(column);
                }
            }
        }
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            outputs.add(new Output(input.columns().get(index), reference(input, index)));
        }
        for (int group = 0; group < columns.size(); group++) {
            Clause.PatternColumn column = columns.get(group);
            ColumnType type = column.type().map(this::typeName).orElse(ColumnType.STRING);
            // one capturing group per copy (DuckDB extracts groups 0 to 9 only), after any groups that
            // regex-kind text opens before it
            int captured = columnPieces.get(group);
            int groupNumber = 1;
            for (int index = 0; index < captured; index++) {
                if (!columnPieces.contains(index)) {
                    groupNumber += capturingGroups(pieces.get(index));
                }
            }
            if (groupNumber > 9) {
                throw error(
                        DiagnosticCode.UNSUPPORTED_FEATURE,
                        column.span(),
                        "more than 9 capturing groups before a parse column");
            }
            ScalarExpression value = call(
                    ScalarFunction.REGEX_EXTRACT,
                    ColumnType.STRING,
                    text,
                    Constant.ofString(flags + parseRegex(pieces, columnPieces, captured)),
                    Constant.ofLong(groupNumber));
            if (type != ColumnType.STRING) {
                value = convert(value, type);
            }
            Output output = new Output(new PlanColumn(column.name(), type), value);
            int existing = visibleIndex(outputs.stream().map(Output::column).toList(), column.name());
            if (existing >= 0) {
                outputs.set(existing, output);
            } else {
                outputs.add(output);
            }
        }
        PlanNode source = input;
        if (whereOnly) {
            Constant whole = Constant.ofString(flags + parseRegex(pieces, columnPieces, -1));
            source = new PlanNode.Filter(input, call(ScalarFunction.REGEX_MATCH, ColumnType.BOOL, text, whole));
        }
        return projection(source, outputs);
    }

    /**
     * {@code flags=} of regex-kind parse: the RE2 flags U (ungreedy), m (multi-line), s (dot matches new
     * lines) and i (ignore case), as a {@code (?flags)} prefix (parse-operator).
     */
    private String parseFlags(Clause.OperatorParameter parameter) {
        String flags = sourceText(parameter.value().span()).strip();
        if (flags.isEmpty() || !flags.chars().allMatch(flag -> "Umsi".indexOf(flag) >= 0)) {
            throw error(DiagnosticCode.INVALID_VALUE, parameter.value().span(), "parse flags", flags);
        }
        return "(?" + flags + ")";
    }

    /** Capturing groups a regular expression opens: {@code (} not escaped, not in a class, not {@code (?}. */
    private static int capturingGroups(String regex) {
        int count = 0;
        boolean inClass = false;
        for (int index = 0; index < regex.length(); index++) {
            char character = regex.charAt(index);
            if (character == '\\') {
                index++;
            } else if (inClass) {
                inClass = character != ']';
            } else if (character == '[') {
                inClass = true;
            } else if (character == '(' && (index + 1 >= regex.length() || regex.charAt(index + 1) != '?')) {
                count++;
            }
        }
        return count;
    }

    /** The parse expression anchored at the start, with only the piece at {@code captured} in a group. */
    private static String parseRegex(List<String> pieces, List<Integer> columnPieces, int captured) {
        StringBuilder regex = new StringBuilder("^");
        for (int index = 0; index < pieces.size(); index++) {
            if (index == captured) {
                regex.append('(').append(pieces.get(index)).append(')');
            } else if (columnPieces.contains(index)) {
                regex.append("(?:").append(pieces.get(index)).append(')');
            } else {
                regex.append(pieces.get(index));
            }
        }
        return regex.toString();
    }

    /** RE2 text matching {@code literal} exactly. */
    private static String escapeRegex(String literal) {
        StringBuilder escaped = new StringBuilder();
        for (int index = 0; index < literal.length(); index++) {
            char character = literal.charAt(index);
            if ("\\.^$|?*+()[]{}".indexOf(character) >= 0) {
                escaped.append('\\');
            }
            escaped.append(character);
        }
        return escaped.toString();
    }

    /** {@code T | invoke f(args)}: T is the function's first, tabular argument (invoke-operator). */
    private PlanNode invoke(PlanNode input, QueryOperator.InvokeOperator invoke) {
        Expression function = invoke.function();
        if (function instanceof Expression.FunctionCall call
                && lets.get(call.name()) instanceof FunctionBinding binding) {
            return tabularCall(call.name(), binding, call.arguments(), Optional.of(input), call.span());
        }
        if (function instanceof Expression.FunctionCall call && lets.get(call.name()) instanceof FailedBinding) {
            throw new BindError();
        }
        throw error(
                DiagnosticCode.UNSUPPORTED_FEATURE, function.span(), "invoke of a function that is not a let function");
    }

    private long constantCount(Expression expression) {
        ScalarExpression value = scalar(expression, RowScope.EMPTY);
        if (value instanceof Constant constant
                && constant.value() instanceof Number number
                && number.longValue() >= 0) {
            return number.longValue();
        }
        throw error(DiagnosticCode.EXPECTED_CONSTANT, expression.span(), "non-negative count");
    }

    // ---------------------------------------------------------------- project and extend

    /** A column of an operator's output and the expression that computes it. */
    private record Output(PlanColumn column, ScalarExpression expression) {}

    private PlanNode projection(PlanNode input, List<Output> outputs) {
        List<ScalarExpression> expressions = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        for (Output output : outputs) {
            expressions.add(output.expression());
            columns.add(output.column());
        }
        return new PlanNode.Project(input, expressions, columns);
    }

    /** Matches a name or wildcard pattern (only {@code *} is special) against visible columns. */
    private List<Integer> matching(PlanNode input, Expression item) {
        List<Integer> indexes = new ArrayList<>();
        switch (item) {
            case Expression.NameReference name -> {
                int index = visibleIndex(input.columns(), name.name());
                if (index < 0) {
                    throw error(DiagnosticCode.UNKNOWN_COLUMN, name.span(), name.name());
                }
                indexes.add(index);
            }
            case Expression.WildcardName wildcard -> {
                Pattern pattern = wildcardPattern(wildcard.pattern());
                for (int index = 0; index < input.columns().size(); index++) {
                    PlanColumn column = input.columns().get(index);
                    if (!column.hidden() && pattern.matcher(column.name()).matches()) {
                        indexes.add(index);
                    }
                }
            }
            case Expression.Star star -> {
                for (int index = 0; index < input.columns().size(); index++) {
                    if (!input.columns().get(index).hidden()) {
                        indexes.add(index);
                    }
                }
            }
            default -> throw error(DiagnosticCode.UNKNOWN_COLUMN, item.span(), sourceText(item.span()));
        }
        return indexes;
    }

    private static Pattern wildcardPattern(String wildcard) {
        List<String> parts = new ArrayList<>();
        for (String part : wildcard.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts));
    }

    private static int visibleIndex(List<PlanColumn> columns, String name) {
        for (int index = 0; index < columns.size(); index++) {
            if (!columns.get(index).hidden() && columns.get(index).name().equals(name)) {
                return index;
            }
        }
        return -1;
    }

    /** A property value as written, without the quotes of a string literal. */
    private String literalText(Expression value) {
        String text = sourceText(value.span()).strip();
        if (text.length() >= 2
                && (text.startsWith("\"") && text.endsWith("\"") || text.startsWith("'") && text.endsWith("'"))) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    private String sourceText(Span span) {
        return source.substring(span.start(), Math.min(span.end(), source.length()));
    }

    private PlanNode project(PlanNode input, List<Expression> items) {
        RowScope scope = new RowScope(input.columns());
        List<Output> outputs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Expression item : items) {
            if (item instanceof Expression.NameReference
                    || item instanceof Expression.WildcardName
                    || item instanceof Expression.Star) {
                if (item instanceof Expression.NameReference name && visibleIndex(input.columns(), name.name()) < 0) {
                    // a let scalar projected by name gets its name
                    ScalarExpression value = scalar(item, scope);
                    addOutput(outputs, names, name.name(), value);
                    continue;
                }
                for (int index : matching(input, item)) {
                    addOutput(outputs, names, input.columns().get(index).name(), reference(input, index));
                }
                continue;
            }
            NamedValue named = named(item, scope, names, outputs.size());
            addOutput(outputs, names, named.name(), named.value());
        }
        return projection(input, outputs);
    }

    private void addOutput(List<Output> outputs, Set<String> names, String name, ScalarExpression value) {
        String unique = name;
        int suffix = 1;
        while (names.contains(unique)) {
            unique = name + suffix++;
        }
        names.add(unique);
        outputs.add(new Output(new PlanColumn(unique, value.type()), value));
    }

    private record NamedValue(String name, ScalarExpression value) {}

    /** An expression with its result name: declared ({@code a = x}) or derived as KQL does. */
    private NamedValue named(Expression item, RowScope scope, Set<String> taken, int position) {
        if (item instanceof Expression.NamedExpression named) {
            if (named.names().size() != 1) {
                throw error(DiagnosticCode.UNSUPPORTED_FEATURE, item.span(), "tuple names");
            }
            return new NamedValue(named.names().get(0), scalar(named.value(), scope));
        }
        ScalarExpression value = scalar(item, scope);
        return new NamedValue(resultName(item).orElseGet(() -> columnName(taken)), value);
    }

    /** {@code Column1}, {@code Column2}...: the first not taken. */
    private static String columnName(Set<String> taken) {
        int number = 1;
        while (taken.contains("Column" + number)) {
            number++;
        }
        return "Column" + number;
    }

    /**
     * The name KQL gives an unnamed expression: a column keeps its name, {@code a.b} and {@code a['b']}
     * become {@code a_b}, {@code bin(x, ...)} is named after x (Kusto-Query-Language Binder
     * GetExpressionResultName; aggregates: prefix and first argument, e.g. {@code sum_Bytes}).
     */
    private Optional<String> resultName(Expression expression) {
        return switch (expression) {
            case Expression.NameReference name -> Optional.of(name.name());
            case Expression.Parenthesized parenthesized -> resultName(parenthesized.expression());
            case Expression.NamedExpression named -> Optional.of(named.names().get(0));
            case Expression.MemberAccess member ->
                Optional.of(resultName(member.target())
                        .map(left -> left + "_" + member.member())
                        .orElse(member.member()));
            case Expression.ElementAccess element -> {
                if (element.index() instanceof Expression.Literal literal
                        && (literal.kind() == LiteralKind.STRING || literal.kind() == LiteralKind.LONG)) {
                    yield Optional.of(resultName(element.target())
                            .map(left -> left + "_" + literal.value())
                            .orElse(literal.value()));
                }
                yield Optional.empty();
            }
            case Expression.FunctionCall call -> functionResultName(call);
            default -> Optional.empty();
        };
    }

    private Optional<String> functionResultName(Expression.FunctionCall call) {
        String prefix = switch (call.name()) {
            case "count" -> "count";
            case "countif" -> "countif";
            case "dcount" -> "dcount";
            case "dcountif" -> "dcountif";
            case "sum" -> "sum";
            case "avg" -> "avg";
            case "stdev", "stdevp", "variance", "variancep" -> call.name();
            case "min" -> "min";
            case "max" -> "max";
            case "make_set", "makeset" -> "set";
            case "make_list", "makelist" -> "list";
            // only the deprecated any() adds a prefix (take-any-aggregation-function)
            case "any" -> "any";
            case "make_bag", "make_bag_if" -> "bag";
            case "sumif" -> "sumif";
            case "avgif" -> "avgif";
            case "minif" -> "minif";
            case "maxif" -> "maxif";
            case "make_set_if" -> "set";
            case "make_list_if" -> "list";
            // a conversion keeps its argument's name ("by tostring(tld)" groups into a column tld), as take_any does
            case "take_any",
                    "bin",
                    "floor",
                    "tostring",
                    "toint",
                    "tolong",
                    "toreal",
                    "todouble",
                    "tobool",
                    "todatetime",
                    "totimespan",
                    "todynamic",
                    "toguid" -> "";
            default -> null;
        };
        if (prefix == null) {
            return Optional.empty();
        }
        String first = "";
        if (!call.arguments().isEmpty()) {
            first = resultName(call.arguments().get(0)).orElse("");
        }
        if (prefix.isEmpty()) {
            if (first.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(first);
        }
        return Optional.of(prefix + "_" + first);
    }

    private PlanNode projectAway(PlanNode input, List<Expression> items) {
        Set<Integer> removed = new HashSet<>();
        for (Expression item : items) {
            removed.addAll(matching(input, item));
        }
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            if (!removed.contains(index)) {
                outputs.add(new Output(input.columns().get(index), reference(input, index)));
            }
        }
        return projection(input, outputs);
    }

    private PlanNode projectKeep(PlanNode input, List<Expression> items) {
        Set<Integer> kept = new HashSet<>();
        for (Expression item : items) {
            kept.addAll(matching(input, item));
        }
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            if (kept.contains(index) || input.columns().get(index).hidden()) {
                outputs.add(new Output(input.columns().get(index), reference(input, index)));
            }
        }
        return projection(input, outputs);
    }

    private PlanNode projectRename(PlanNode input, List<Expression> items) {
        Map<Integer, String> renames = new HashMap<>();
        for (Expression item : items) {
            if (!(item instanceof Expression.NamedExpression named
                    && named.names().size() == 1
                    && named.value() instanceof Expression.NameReference old)) {
                throw error(DiagnosticCode.UNSUPPORTED_FEATURE, item.span(), "project-rename takes new = old");
            }
            int index = visibleIndex(input.columns(), old.name());
            if (index < 0) {
                throw error(DiagnosticCode.UNKNOWN_COLUMN, old.span(), old.name());
            }
            renames.put(index, named.names().get(0));
        }
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            PlanColumn column = input.columns().get(index);
            String name = renames.getOrDefault(index, column.name());
            outputs.add(new Output(new PlanColumn(name, column.type(), column.hidden()), reference(input, index)));
        }
        return projection(input, outputs);
    }

    private PlanNode projectReorder(PlanNode input, List<Clause.OrderedExpression> items) {
        List<Integer> order = new ArrayList<>();
        for (Clause.OrderedExpression item : items) {
            List<Integer> matched = new ArrayList<>();
            for (int index : matching(input, item.expression())) {
                if (!order.contains(index)) {
                    matched.add(index);
                }
            }
            // asc / desc order the columns a pattern matches by name; without them they keep the input's order
            // (project-reorder-operator: "a* asc" gives a1, a2, a3)
            if (item.direction().isPresent()) {
                Comparator<Integer> byName =
                        Comparator.comparing(index -> input.columns().get(index).name());
                if (item.direction().get() == SortDirection.DESCENDING) {
                    byName = byName.reversed();
                }
                matched.sort(byName);
            }
            order.addAll(matched);
        }
        for (int index = 0; index < input.columns().size(); index++) {
            if (!order.contains(index)) {
                order.add(index);
            }
        }
        List<Output> outputs = new ArrayList<>();
        for (int index : order) {
            outputs.add(new Output(input.columns().get(index), reference(input, index)));
        }
        return projection(input, outputs);
    }

    /** New columns are appended; a name that exists replaces that column in place (extend-operator). */
    private PlanNode extend(PlanNode input, List<Expression> items) {
        RowScope scope = new RowScope(input.columns());
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            outputs.add(new Output(input.columns().get(index), reference(input, index)));
        }
        Set<String> taken = new HashSet<>();
        for (PlanColumn column : input.columns()) {
            taken.add(column.name());
        }
        for (Expression item : items) {
            List<NamedValue> values = seriesColumns(item, scope).orElse(null);
            if (values == null) {
                values = List.of(named(item, scope, taken, outputs.size()));
            }
            for (NamedValue named : values) {
                Output output =
                        new Output(new PlanColumn(named.name(), named.value().type()), named.value());
                int existing = visibleIndex(outputs.stream().map(Output::column).toList(), named.name());
                if (existing >= 0) {
                    outputs.set(existing, output);
                } else {
                    outputs.add(output);
                    taken.add(named.name());
                }
            }
        }
        return projection(input, outputs);
    }

    // ---------------------------------------------------------------- summarize, distinct, sort

    private PlanNode summarize(PlanNode input, QueryOperator.SummarizeOperator summarize) {
        RowScope scope = new RowScope(input.columns());
        List<ScalarExpression> keys = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Expression item : summarize.groupBy()) {
            NamedValue named = named(item, scope, taken, columns.size());
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
                    throw error(DiagnosticCode.EXPECTED_AGGREGATE, value.span());
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
    private record CompositeAggregate(Expression item, Expression value, Optional<String> declared, int position) {}

    /** Binds aggregate calls met inside a composite summarize item; null outside one. */
    private java.util.function.Function<Expression.FunctionCall, ScalarExpression> aggregateHook;

    /**
     * {@code summarize Account = tostring(make_set(Account))}: every aggregate call inside the expression is
     * an aggregate column of its own (not shown), and the expression is a projection over the aggregated
     * row (summarize-operator: a column is an aggregation, here under a scalar function). The expression
     * sees only its aggregates and the let-bound values, not the input's columns.
     */
    private PlanNode compositeAggregates(
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
                    throw error(DiagnosticCode.EXPECTED_AGGREGATE, call.span());
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
                ScalarExpression value = scalar(composite.value(), RowScope.EMPTY);
                if (innerColumns.size() == before) {
                    throw error(
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
            expressions.add(reference(aggregate, index));
            columns.add(keyColumns.get(index));
        }
        int composite = 0;
        for (int index = 0; index <= aggregateColumns.size(); index++) {
            while (composite < composites.size() && composites.get(composite).position() == index) {
                CompositeAggregate item = composites.get(composite);
                ScalarExpression value = values.get(composite);
                String name =
                        item.declared().orElseGet(() -> resultName(item.value()).orElse(columnName(taken)));
                expressions.add(value);
                columns.add(new PlanColumn(unique(name, taken), value.type()));
                composite++;
            }
            if (index < aggregateColumns.size()) {
                expressions.add(reference(aggregate, keyCount + index));
                columns.add(aggregateColumns.get(index));
            }
        }
        return new PlanNode.Project(aggregate, expressions, columns);
    }

    /** Whether an expression calls an aggregation function somewhere (not inside a subquery). */
    private boolean containsAggregate(Expression expression) {
        return switch (expression) {
            case Expression.FunctionCall call ->
                (isAggregateName(call.name()) && !(lets.get(call.name()) instanceof FunctionBinding))
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
    private static boolean isAggregateName(String name) {
        return isKnownAggregate(name)
                || Set.of(
                                "count",
                                "countif",
                                "dcount",
                                "sum",
                                "avg",
                                "min",
                                "max",
                                "make_set",
                                "make_list",
                                "any",
                                "take_any",
                                "take_anyif",
                                "anyif",
                                "makeset",
                                "makelist")
                        .contains(name);
    }

    /**
     * {@code (a, b) = arg_max(key, x)}: the names go to the aggregate's columns in order, the first one
     * already given (summarize-operator); more names than columns is an error.
     */
    private void renameTuple(
            List<String> names, int first, List<PlanColumn> columns, Set<String> taken, Expression item) {
        if (names.size() <= 1) {
            return;
        }
        if (first + names.size() > columns.size()) {
            throw error(
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

    private static String unique(String name, Set<String> taken) {
        String unique = name;
        int suffix = 1;
        while (taken.contains(unique)) {
            unique = name + suffix++;
        }
        taken.add(unique);
        return unique;
    }

    private void aggregate(
            PlanNode input,
            RowScope scope,
            Expression.FunctionCall written,
            Optional<String> declared,
            Set<String> taken,
            List<PlanNode.AggregateCall> aggregates,
            List<PlanColumn> columns) {
        Expression.FunctionCall call = positionalArguments(written);
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
                if (isKnownAggregate(function)) {
                    throw error(DiagnosticCode.UNSUPPORTED_FUNCTION, call.span(), function);
                }
                throw error(DiagnosticCode.EXPECTED_AGGREGATE, call.span());
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
            ScalarExpression value = scalar(arguments.get(0), scope);
            String name = declared.orElseGet(() -> functionResultName(call).orElse(columnName(taken)));
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
            throw error(
                    DiagnosticCode.WRONG_ARGUMENT_COUNT,
                    call.span(),
                    function,
                    Integer.toString(expected),
                    arguments.size());
        }
        List<ScalarExpression> bound = new ArrayList<>();
        if (expected == 1) {
            ScalarExpression argument = scalar(arguments.get(0), scope);
            if (aggregate == AggregateFunction.COUNT_IF) {
                argument = toBool(argument, arguments.get(0).span());
            }
            if (aggregate == AggregateFunction.MAKE_BAG) {
                argument = convert(argument, ColumnType.DYNAMIC);
            }
            bound.add(argument);
        }
        if (aggregate == AggregateFunction.MAKE_BAG_IF) {
            // make_bag_if(bag, predicate) (make-bag-if-aggregate-function)
            bound.add(convert(scalar(arguments.get(0), scope), ColumnType.DYNAMIC));
            bound.add(toBool(scalar(arguments.get(1), scope), arguments.get(1).span()));
        }
        if ((aggregate == AggregateFunction.MAKE_SET || aggregate == AggregateFunction.MAKE_LIST)
                && arguments.size() == 2) {
            // make_set(x, maxSize) keeps at most maxSize elements (make-set-aggregate-function)
            ScalarExpression maximum = scalar(arguments.get(1), scope);
            if (!(maximum instanceof Constant constant) || !(constant.value() instanceof Number)) {
                throw error(DiagnosticCode.EXPECTED_CONSTANT, arguments.get(1).span(), "maxSize");
            }
            bound.add(convert(maximum, ColumnType.LONG));
        }
        ColumnType type = aggregate
                .resultType()
                .orElseGet(() -> aggregateType(aggregate, bound.get(0).type()));
        String name = declared.orElseGet(() -> functionResultName(call).orElse(columnName(taken)));
        aggregates.add(new PlanNode.AggregateCall(aggregate, bound, type));
        columns.add(new PlanColumn(unique(name, taken), type));
    }

    /** {@code sumif(x, predicate)} and friends: the aggregate over the rows where the predicate holds. */
    private static final Map<String, AggregateFunction> CONDITIONAL_AGGREGATES = Map.of(
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
    private void conditionalAggregate(
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
        arity(call, 2, maximum);
        ScalarExpression value = scalar(call.arguments().get(0), scope);
        ScalarExpression predicate = toBool(
                scalar(call.arguments().get(1), scope), call.arguments().get(1).span());
        List<ScalarExpression> bound = new ArrayList<>();
        bound.add(call(ScalarFunction.IF, value.type(), predicate, value, Constant.nullOf(value.type())));
        if (sized && call.arguments().size() == 3) {
            ScalarExpression size = scalar(call.arguments().get(2), scope);
            if (!(size instanceof Constant constant) || !(constant.value() instanceof Number)) {
                throw error(
                        DiagnosticCode.EXPECTED_CONSTANT,
                        call.arguments().get(2).span(),
                        "maxSize");
            }
            bound.add(convert(size, ColumnType.LONG));
        }
        ColumnType type = aggregate.resultType().orElseGet(() -> aggregateType(aggregate, value.type()));
        String name = declared.orElseGet(() -> functionResultName(call).orElse(columnName(taken)));
        aggregates.add(new PlanNode.AggregateCall(aggregate, bound, type));
        columns.add(new PlanColumn(unique(name, taken), type));
    }

    /**
     * percentile(x, p) and percentiles(x, p1, p2, ...): one nearest-rank column per percentile, named
     * percentile_x_p with the percentile's text ('.' as '_') unless named (percentiles-aggregation-function).
     */
    private void percentiles(
            RowScope scope,
            Expression.FunctionCall call,
            Optional<String> declared,
            Set<String> taken,
            List<PlanNode.AggregateCall> aggregates,
            List<PlanColumn> columns) {
        if (call.name().equals("percentile")) {
            arity(call, 2, 2);
        } else {
            arity(call, 2, Integer.MAX_VALUE);
        }
        ScalarExpression value = scalar(call.arguments().get(0), scope);
        if (value.type() == ColumnType.DYNAMIC) {
            value = convert(value, ColumnType.REAL);
        }
        if (!isNumeric(value.type()) && value.type() != ColumnType.DATETIME && value.type() != ColumnType.TIMESPAN) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    call.arguments().get(0).span(),
                    "percentile of " + value.type().kqlName());
        }
        String first = resultName(call.arguments().get(0)).orElse("");
        int count = call.arguments().size() - 1;
        for (int index = 1; index < call.arguments().size(); index++) {
            Expression argument = call.arguments().get(index);
            ScalarExpression percent = scalar(argument, scope);
            if (!(percent instanceof Constant constant)
                    || !(constant.value() instanceof Number number)
                    || number.doubleValue() < 0
                    || number.doubleValue() > 100) {
                throw error(DiagnosticCode.EXPECTED_CONSTANT, argument.span(), "percentile from 0 to 100");
            }
            String name;
            if (declared.isPresent() && count == 1) {
                name = declared.get();
            } else {
                String text = argument instanceof Expression.Literal literal ? literal.value() : number.toString();
                name = "percentile_" + first + "_" + text.replace('.', '_').replace('-', '_');
            }
            aggregates.add(new PlanNode.AggregateCall(
                    AggregateFunction.PERCENTILE, List.of(value, convert(percent, ColumnType.REAL)), value.type()));
            columns.add(new PlanColumn(unique(name, taken), value.type()));
        }
    }

    private static boolean isKnownAggregate(String name) {
        return Set.of(
                        "sumif",
                        "avgif",
                        "minif",
                        "maxif",
                        "dcountif",
                        "make_set_if",
                        "make_list_if",
                        "make_bag",
                        "make_bag_if",
                        "percentile",
                        "percentiles",
                        "stdev",
                        "stdevp",
                        "variance",
                        "variancep",
                        "hll",
                        "tdigest",
                        "take_anyif",
                        "make_list_with_nulls",
                        "binary_all_or",
                        "count_distinct",
                        "arg_max",
                        "arg_min")
                .contains(name);
    }

    /** sum promotes int to long; avg is real except over datetimes and timespans (aggregation functions). */
    private static ColumnType aggregateType(AggregateFunction aggregate, ColumnType argument) {
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
    private void argExtreme(
            PlanNode input,
            RowScope scope,
            Expression.FunctionCall call,
            boolean max,
            Optional<String> declared,
            Set<String> taken,
            List<PlanNode.AggregateCall> aggregates,
            List<PlanColumn> columns) {
        if (call.arguments().size() < 2) {
            throw error(
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
        ScalarExpression key = scalar(keyExpression, scope);
        // `X = arg_max(key, ...)` names the key column X (arg-max-aggregate-function)
        String keyName = resultName(keyExpression).orElse(prefix + "_");
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
                    ColumnReference value = reference(input, index);
                    aggregates.add(new PlanNode.AggregateCall(function, List.of(value, key), column.type()));
                    columns.add(new PlanColumn(unique(column.name(), taken), column.type()));
                }
                continue;
            }
            NamedValue named = named(argument, scope, taken, columns.size());
            aggregates.add(new PlanNode.AggregateCall(
                    function, List.of(named.value(), key), named.value().type()));
            columns.add(
                    new PlanColumn(unique(named.name(), taken), named.value().type()));
        }
    }

    private PlanNode distinct(PlanNode input, List<Expression> items) {
        List<ScalarExpression> keys = new ArrayList<>();
        List<PlanColumn> columns = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Expression item : items) {
            if (item instanceof Expression.Star || item instanceof Expression.NameReference) {
                for (int index : matching(input, item)) {
                    keys.add(reference(input, index));
                    columns.add(new PlanColumn(
                            unique(input.columns().get(index).name(), taken),
                            input.columns().get(index).type()));
                }
                continue;
            }
            NamedValue named = named(item, new RowScope(input.columns()), taken, columns.size());
            keys.add(named.value());
            columns.add(
                    new PlanColumn(unique(named.name(), taken), named.value().type()));
        }
        return new PlanNode.Aggregate(input, keys, List.of(), columns);
    }

    /** Sort defaults: descending, nulls last when descending and first when ascending (sort-operator). */
    private List<PlanNode.SortKey> sortKeys(PlanNode input, List<Clause.OrderedExpression> items) {
        RowScope scope = new RowScope(input.columns());
        List<PlanNode.SortKey> keys = new ArrayList<>();
        for (Clause.OrderedExpression item : items) {
            ScalarExpression value = scalar(item.expression(), scope);
            boolean ascending = item.direction().orElse(SortDirection.DESCENDING) == SortDirection.ASCENDING;
            boolean nullsFirst = ascending;
            if (item.nulls().isPresent()) {
                nullsFirst = item.nulls().get() == NullsPosition.FIRST;
            }
            keys.add(new PlanNode.SortKey(value, ascending, nullsFirst));
        }
        return keys;
    }

    // ---------------------------------------------------------------- union, join, mv-expand

    /**
     * union: columns by name in order of first appearance; a name with different types in different
     * inputs becomes one column per type, {@code name_type} (union-operator).
     */
    private PlanNode union(Optional<PlanNode> left, Optional<String> leftName, QueryOperator.UnionOperator union) {
        List<PlanNode> inputs = new ArrayList<>();
        List<String> sourceNames = new ArrayList<>();
        left.ifPresent(plan -> {
            inputs.add(plan);
            sourceNames.add(leftName.orElse("union_arg0"));
        });
        Optional<String> withSource = Optional.empty();
        boolean fuzzy = false;
        boolean inner = false;
        List<Diagnostic> dropped = new ArrayList<>();
        for (Clause.OperatorParameter parameter : union.parameters()) {
            switch (parameter.name().toLowerCase(Locale.ROOT)) {
                case "withsource" -> {
                    if (parameter.value() instanceof Expression.NameReference name) {
                        withSource = Optional.of(name.name());
                    }
                }
                case "isfuzzy" -> fuzzy = sourceText(parameter.value().span()).equalsIgnoreCase("true");
                case "kind" -> inner = sourceText(parameter.value().span()).equalsIgnoreCase("inner");
                default -> {
                    // hints do not change results
                }
            }
        }
        for (Expression table : union.tables()) {
            if (table instanceof Expression.WildcardName wildcard) {
                Pattern pattern = wildcardPattern(wildcard.pattern());
                for (String name : catalog.tableNames()) {
                    if (pattern.matcher(name).matches()) {
                        inputs.add(table(name, table.span()));
                        sourceNames.add(name);
                    }
                }
                continue;
            }
            if (fuzzy
                    && table instanceof Expression.NameReference name
                    && !lets.containsKey(name.name())
                    && catalog.table(name.name()).isEmpty()) {
                continue;
            }
            if (fuzzy) {
                Optional<PlanNode> leg = fuzzyLeg(table, dropped);
                if (leg.isEmpty()) {
                    continue;
                }
                inputs.add(leg.get());
            } else {
                inputs.add(tabular(table));
            }
            Optional<String> named = asName(table);
            if (named.isPresent()) {
                sourceNames.add(named.get());
            } else if (table instanceof Expression.NameReference name) {
                sourceNames.add(name.name());
            } else {
                sourceNames.add("union_arg" + sourceNames.size());
            }
        }
        if (inputs.isEmpty()) {
            if (!dropped.isEmpty()) {
                // no leg resolves: the query fails with the legs' own errors (union-operator, isfuzzy)
                diagnostics.addAll(dropped);
                throw new BindError();
            }
            throw error(DiagnosticCode.UNKNOWN_TABLE, union.span(), sourceText(union.span()));
        }
        if (inner) {
            throw error(DiagnosticCode.UNSUPPORTED_FEATURE, union.span(), "union kind=inner");
        }
        Map<String, Set<ColumnType>> typesByName = new LinkedHashMap<>();
        for (PlanNode input : inputs) {
            for (PlanColumn column : input.columns()) {
                if (!column.hidden()) {
                    typesByName
                            .computeIfAbsent(column.name(), ignored -> new java.util.LinkedHashSet<>())
                            .add(column.type());
                }
            }
        }
        List<PlanColumn> columns = new ArrayList<>();
        withSource.ifPresent(name -> columns.add(new PlanColumn(name, ColumnType.STRING)));
        Map<String, String> outputName = new HashMap<>();
        typesByName.forEach((name, types) -> {
            for (ColumnType type : types) {
                String output = name;
                if (types.size() > 1) {
                    output = name + "_" + type.kqlName();
                }
                outputName.put(name + "\u0000" + type.kqlName(), output);
                columns.add(new PlanColumn(output, type));
            }
        });
        List<PlanNode> aligned = new ArrayList<>();
        for (int inputIndex = 0; inputIndex < inputs.size(); inputIndex++) {
            PlanNode input = inputs.get(inputIndex);
            Map<String, Integer> positions = new HashMap<>();
            for (int index = 0; index < input.columns().size(); index++) {
                PlanColumn column = input.columns().get(index);
                if (!column.hidden()) {
                    positions.put(
                            outputName.get(
                                    column.name() + "\u0000" + column.type().kqlName()),
                            index);
                }
            }
            List<ScalarExpression> expressions = new ArrayList<>();
            for (PlanColumn column : columns) {
                if (withSource.isPresent() && column.name().equals(withSource.get()) && expressions.isEmpty()) {
                    expressions.add(Constant.ofString(sourceNames.get(inputIndex)));
                    continue;
                }
                Integer position = positions.get(column.name());
                if (position == null) {
                    expressions.add(nullOf(column.type()));
                } else {
                    expressions.add(reference(input, position));
                }
            }
            aligned.add(new PlanNode.Project(input, expressions, columns));
        }
        if (aligned.size() == 1) {
            return aligned.get(0);
        }
        return new PlanNode.Union(aligned, columns);
    }

    /** Resolution failures a fuzzy union leaves out: a table, column or function that does not exist. */
    private static final Set<DiagnosticCode> FUZZY_RESOLUTION_FAILURES =
            Set.of(DiagnosticCode.UNKNOWN_TABLE, DiagnosticCode.UNKNOWN_COLUMN, DiagnosticCode.UNKNOWN_FUNCTION);

    /**
     * One leg of {@code union isfuzzy=true}: a leg that fails to resolve (an unknown table, column or
     * function) is left out with a warning instead of failing the query, as long as another leg resolves
     * (union-operator: "any resolution failure yields a warning in the query status results, but won't
     * prevent the query execution"). Other errors, such as Vigil's unsupported features, still fail it.
     */
    private Optional<PlanNode> fuzzyLeg(Expression table, List<Diagnostic> dropped) {
        int mark = diagnostics.size();
        try {
            return Optional.of(tabular(table));
        } catch (BindError error) {
            List<Diagnostic> added = new ArrayList<>(diagnostics.subList(mark, diagnostics.size()));
            boolean resolution = !added.isEmpty()
                    && added.stream()
                            .filter(Diagnostic::isError)
                            .allMatch(diagnostic -> FUZZY_RESOLUTION_FAILURES.contains(diagnostic.code()));
            if (!resolution) {
                throw error;
            }
            diagnostics.subList(mark, diagnostics.size()).clear();
            dropped.addAll(added);
            Diagnostic first =
                    added.stream().filter(Diagnostic::isError).findFirst().orElseThrow();
            diagnostics.add(Diagnostic.create(
                    source,
                    DiagnosticCode.FUZZY_LEG_DROPPED,
                    table.span(),
                    first.code().code() + " " + first.message()));
            return Optional.empty();
        }
    }

    /** A typed null; strings have no null in KQL, so theirs is the empty string. */
    private static Constant nullOf(ColumnType type) {
        if (type == ColumnType.STRING) {
            return Constant.ofString("");
        }
        return Constant.nullOf(type);
    }

    /**
     * join: {@code kind} defaults to innerunique, which keeps one left row per key before an inner
     * join; right columns whose names clash get a numeric suffix (join-operator).
     */
    private PlanNode join(PlanNode left, QueryOperator.JoinOperator join) {
        String kind = "innerunique";
        for (Clause.OperatorParameter parameter : join.parameters()) {
            if (parameter.name().equalsIgnoreCase("kind")) {
                kind = sourceText(parameter.value().span()).toLowerCase(Locale.ROOT);
            }
        }
        PlanNode right = visibleOnly(tabular(join.right()));
        left = visibleOnly(left);
        List<int[]> pairs = new ArrayList<>();
        for (Expression condition : join.on()) {
            joinCondition(condition, left, right, pairs);
        }
        if (pairs.isEmpty()) {
            throw error(DiagnosticCode.INVALID_JOIN_CONDITION, join.span(), "no 'on' columns");
        }
        boolean swap = kind.equals("rightsemi") || kind.equals("rightanti");
        PlanNode.JoinKind joinKind = switch (kind) {
            case "inner", "innerunique" -> PlanNode.JoinKind.INNER;
            case "leftouter" -> PlanNode.JoinKind.LEFT_OUTER;
            case "rightouter" -> PlanNode.JoinKind.RIGHT_OUTER;
            case "fullouter" -> PlanNode.JoinKind.FULL_OUTER;
            case "leftsemi", "rightsemi" -> PlanNode.JoinKind.LEFT_SEMI;
            case "leftanti", "anti", "leftantisemi", "rightanti", "rightantisemi" -> PlanNode.JoinKind.LEFT_ANTI;
            default -> throw error(DiagnosticCode.UNSUPPORTED_FEATURE, join.span(), "join kind=" + kind);
        };
        if (kind.equals("rightantisemi")) {
            swap = true;
        }
        if (swap) {
            PlanNode temporary = left;
            left = right;
            right = temporary;
            List<int[]> swapped = new ArrayList<>();
            for (int[] pair : pairs) {
                swapped.add(new int[] {pair[1], pair[0]});
            }
            pairs = swapped;
        }
        if (kind.equals("innerunique")) {
            List<Integer> keys = new ArrayList<>();
            for (int[] pair : pairs) {
                keys.add(pair[0]);
            }
            left = new PlanNode.Deduplicate(left, keys);
        }
        ScalarExpression condition = keysEqual(left, right, pairs, join.span());
        List<PlanColumn> columns = new ArrayList<>(left.columns());
        if (joinKind != PlanNode.JoinKind.LEFT_SEMI && joinKind != PlanNode.JoinKind.LEFT_ANTI) {
            Set<String> taken = new HashSet<>();
            for (PlanColumn column : left.columns()) {
                taken.add(column.name());
            }
            for (PlanColumn column : right.columns()) {
                columns.add(new PlanColumn(unique(column.name(), taken), column.type()));
            }
        }
        return new PlanNode.Join(joinKind, left, right, condition, columns);
    }

    /**
     * The condition of an equi-join: each (left column, right column) pair equal, after converting both
     * to a common type; the right columns are referred to after the left ones, as in a join's input.
     */
    private ScalarExpression keysEqual(PlanNode left, PlanNode right, List<int[]> pairs, Span span) {
        int leftCount = left.columns().size();
        List<ScalarExpression> conditions = new ArrayList<>();
        for (int[] pair : pairs) {
            ScalarExpression leftKey = reference(left, pair[0]);
            PlanColumn rightColumn = right.columns().get(pair[1]);
            ScalarExpression rightKey =
                    new ColumnReference(leftCount + pair[1], rightColumn.name(), rightColumn.type());
            if (leftKey.type() != rightKey.type()) {
                ColumnType common = comparisonType(leftKey.type(), rightKey.type());
                if (common == null) {
                    throw error(
                            DiagnosticCode.TYPE_MISMATCH,
                            span,
                            "Cannot compare " + leftKey.type().kqlName() + " with "
                                    + rightKey.type().kqlName());
                }
                leftKey = convert(leftKey, common);
                rightKey = convert(rightKey, common);
            }
            conditions.add(call(ScalarFunction.KEY_EQUAL, ColumnType.BOOL, leftKey, rightKey));
        }
        if (conditions.size() == 1) {
            return conditions.get(0);
        }
        return new Call(ScalarFunction.AND, conditions, ColumnType.BOOL);
    }

    /**
     * {@code lookup [kind=leftouter|inner] (Dimension) on ...}: like a join of every matching pair, but
     * the right side's key columns are not repeated and leftouter is the default (lookup-operator).
     * Right columns whose names the left already has get a numeric suffix, as join names them.
     */
    private PlanNode lookup(PlanNode left, QueryOperator.LookupOperator lookup) {
        PlanNode.JoinKind joinKind = PlanNode.JoinKind.LEFT_OUTER;
        for (Clause.OperatorParameter parameter : lookup.parameters()) {
            if (!parameter.name().equalsIgnoreCase("kind")) {
                continue;
            }
            String kind = sourceText(parameter.value().span()).toLowerCase(Locale.ROOT);
            joinKind = switch (kind) {
                case "leftouter" -> PlanNode.JoinKind.LEFT_OUTER;
                case "inner" -> PlanNode.JoinKind.INNER;
                default ->
                    throw error(DiagnosticCode.INVALID_VALUE, parameter.value().span(), "lookup kind", kind);
            };
        }
        PlanNode right = visibleOnly(tabular(lookup.right()));
        left = visibleOnly(left);
        List<int[]> pairs = new ArrayList<>();
        for (Expression condition : lookup.on()) {
            joinCondition(condition, left, right, pairs);
        }
        if (pairs.isEmpty()) {
            throw error(DiagnosticCode.INVALID_JOIN_CONDITION, lookup.span(), "no 'on' columns");
        }
        int leftCount = left.columns().size();
        Set<Integer> rightKeys = new HashSet<>();
        for (int[] pair : pairs) {
            rightKeys.add(pair[1]);
        }
        ScalarExpression condition = keysEqual(left, right, pairs, lookup.span());
        List<PlanColumn> joined = new ArrayList<>(left.columns());
        joined.addAll(right.columns());
        PlanNode join = new PlanNode.Join(joinKind, left, right, condition, joined);
        List<Output> outputs = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int index = 0; index < leftCount; index++) {
            outputs.add(new Output(left.columns().get(index), reference(left, index)));
            taken.add(left.columns().get(index).name());
        }
        for (int index = 0; index < right.columns().size(); index++) {
            if (rightKeys.contains(index)) {
                continue;
            }
            PlanColumn column = right.columns().get(index);
            outputs.add(new Output(
                    new PlanColumn(unique(column.name(), taken), column.type()),
                    new ColumnReference(leftCount + index, column.name(), column.type())));
        }
        return projection(join, outputs);
    }

    /**
     * {@code search [kind=case_sensitive] [in (T1, T2)] predicate} and {@code T | search predicate}: a
     * string term matches rows where any column has it as a term, like {@code has} (search-operator);
     * {@code and}, {@code or} and parentheses combine terms; other predicates are ordinary conditions.
     * Without a piped input the tables (all of them when none is named) are unioned with their name in
     * {@code $table}.
     */
    private PlanNode search(Optional<PlanNode> input, QueryOperator.SearchOperator search) {
        boolean caseSensitive = false;
        for (Clause.OperatorParameter parameter : search.parameters()) {
            if (parameter.name().equalsIgnoreCase("kind")) {
                String kind = sourceText(parameter.value().span()).toLowerCase(Locale.ROOT);
                caseSensitive = switch (kind) {
                    case "case_sensitive" -> true;
                    case "case_insensitive", "default" -> false;
                    default ->
                        throw error(
                                DiagnosticCode.INVALID_VALUE, parameter.value().span(), "search kind", kind);
                };
            }
        }
        PlanNode rows;
        if (input.isPresent()) {
            if (!search.tables().isEmpty()) {
                throw error(DiagnosticCode.UNSUPPORTED_FEATURE, search.span(), "search in (...) after '|'");
            }
            rows = input.get();
        } else {
            List<Expression> tables = search.tables();
            if (tables.isEmpty()) {
                tables = List.of(new Expression.WildcardName(search.span(), "*"));
            }
            Clause.OperatorParameter withSource = new Clause.OperatorParameter(
                    search.span(), "withsource", new Expression.NameReference(search.span(), "$table"));
            rows = union(
                    Optional.empty(),
                    Optional.empty(),
                    new QueryOperator.UnionOperator(search.span(), List.of(withSource), tables));
            if (rows instanceof PlanNode.Union legs) {
                // one filter per leg, looking only in that table's own columns: one filter over the whole
                // union's columns makes DuckDB test every leg for every column of every table (minutes on
                // an empty workspace, growing with tables times columns)
                List<PlanNode> filtered = new ArrayList<>();
                for (PlanNode leg : legs.inputs()) {
                    filtered.add(new PlanNode.Filter(leg, searchPredicate(search.predicate(), leg, caseSensitive)));
                }
                return new PlanNode.Union(filtered, legs.columns());
            }
        }
        return new PlanNode.Filter(rows, searchPredicate(search.predicate(), rows, caseSensitive));
    }

    private ScalarExpression searchPredicate(Expression predicate, PlanNode rows, boolean caseSensitive) {
        if (predicate instanceof Expression.Parenthesized parenthesized) {
            return searchPredicate(parenthesized.expression(), rows, caseSensitive);
        }
        if (predicate instanceof Expression.Binary binary
                && (binary.operator() == BinaryOperator.AND || binary.operator() == BinaryOperator.OR)) {
            ScalarFunction function = ScalarFunction.AND;
            if (binary.operator() == BinaryOperator.OR) {
                function = ScalarFunction.OR;
            }
            return call(
                    function,
                    ColumnType.BOOL,
                    searchPredicate(binary.left(), rows, caseSensitive),
                    searchPredicate(binary.right(), rows, caseSensitive));
        }
        if (!(predicate instanceof Expression.Literal literal) || literal.kind() != LiteralKind.STRING) {
            return condition(predicate, new RowScope(rows.columns()));
        }
        String term = literal.value();
        if (term.contains("*")) {
            throw error(DiagnosticCode.UNSUPPORTED_FEATURE, predicate.span(), "wildcards in search terms");
        }
        ScalarFunction has = ScalarFunction.HAS;
        if (caseSensitive) {
            has = ScalarFunction.HAS_CS;
        }
        List<ScalarExpression> tests = new ArrayList<>();
        for (int index = 0; index < rows.columns().size(); index++) {
            PlanColumn column = rows.columns().get(index);
            if (column.hidden() || column.name().equals("$table") || (!term.isEmpty() && isFiller(rows, index))) {
                continue;
            }
            tests.add(call(has, ColumnType.BOOL, asString(reference(rows, index)), Constant.ofString(term)));
        }
        if (tests.isEmpty()) {
            return Constant.ofBool(false);
        }
        if (tests.size() == 1) {
            return tests.get(0);
        }
        return new Call(ScalarFunction.OR, tests, ColumnType.BOOL);
    }

    /**
     * Whether a union leg's column is one the leg does not have (a typed null, or the empty string for a
     * string): no non-empty term can be in it, so search need not look.
     */
    private static boolean isFiller(PlanNode rows, int index) {
        return rows instanceof PlanNode.Project project
                && project.expressions().get(index) instanceof Constant constant
                && (constant.value() == null || "".equals(constant.value()));
    }

    /** One {@code on} item: a column name on both sides, or {@code $left.a == $right.b}, or an and of them. */
    private void joinCondition(Expression condition, PlanNode left, PlanNode right, List<int[]> pairs) {
        switch (condition) {
            case Expression.NameReference name -> {
                int leftIndex = visibleIndex(left.columns(), name.name());
                int rightIndex = visibleIndex(right.columns(), name.name());
                if (leftIndex < 0 || rightIndex < 0) {
                    throw error(DiagnosticCode.UNKNOWN_COLUMN, name.span(), name.name());
                }
                pairs.add(new int[] {leftIndex, rightIndex});
            }
            case Expression.Parenthesized parenthesized ->
                joinCondition(parenthesized.expression(), left, right, pairs);
            case Expression.Binary binary
            when binary.operator() == BinaryOperator.AND -> {
                joinCondition(binary.left(), left, right, pairs);
                joinCondition(binary.right(), left, right, pairs);
            }
            case Expression.Binary binary
            when binary.operator() == BinaryOperator.EQUAL -> {
                Optional<String[]> first = side(binary.left());
                Optional<String[]> second = side(binary.right());
                if (first.isEmpty() || second.isEmpty() || first.get()[0].equals(second.get()[0])) {
                    throw error(
                            DiagnosticCode.INVALID_JOIN_CONDITION,
                            condition.span(),
                            "expected $left.column == $right.column");
                }
                String leftName = first.get()[1];
                String rightName = second.get()[1];
                if (first.get()[0].equals("$right")) {
                    leftName = second.get()[1];
                    rightName = first.get()[1];
                }
                int leftIndex = visibleIndex(left.columns(), leftName);
                int rightIndex = visibleIndex(right.columns(), rightName);
                if (leftIndex < 0) {
                    throw error(DiagnosticCode.UNKNOWN_COLUMN, binary.left().span(), leftName);
                }
                if (rightIndex < 0) {
                    throw error(DiagnosticCode.UNKNOWN_COLUMN, binary.right().span(), rightName);
                }
                pairs.add(new int[] {leftIndex, rightIndex});
            }
            default ->
                throw error(
                        DiagnosticCode.INVALID_JOIN_CONDITION,
                        condition.span(),
                        "expected a column name or $left.column == $right.column");
        }
    }

    private static Optional<String[]> side(Expression expression) {
        if (expression instanceof Expression.MemberAccess member
                && member.target() instanceof Expression.NameReference name
                && (name.name().equals("$left") || name.name().equals("$right"))) {
            return Optional.of(new String[] {name.name(), member.member()});
        }
        return Optional.empty();
    }

    /** mv-expand (mv-expand-operator): several arrays expand in lockstep, see {@link PlanNode.Unnest}. */
    private PlanNode mvExpand(PlanNode input, QueryOperator.MvExpandOperator expand) {
        return expandArrays(input, expand.parameters(), expand.items(), expand.limit(), "mv-expand");
    }

    private PlanNode expandArrays(
            PlanNode input,
            List<Clause.OperatorParameter> parameters,
            List<Clause.MvExpandItem> items,
            Optional<Expression> limitSyntax,
            String operatorName) {
        Optional<String> itemIndex = Optional.empty();
        PlanNode.Unnest.BagExpansion bagExpansion = PlanNode.Unnest.BagExpansion.BAG;
        for (Clause.OperatorParameter parameter : parameters) {
            String name = parameter.name().toLowerCase(Locale.ROOT);
            String value = sourceText(parameter.value().span()).toLowerCase(Locale.ROOT);
            if (name.equals("with_itemindex") && parameter.value() instanceof Expression.NameReference index) {
                itemIndex = Optional.of(index.name());
            } else if ((name.equals("kind") || name.equals("bagexpansion")) && value.equals("array")) {
                bagExpansion = PlanNode.Unnest.BagExpansion.ARRAY;
            } else if (!(name.equals("kind") || name.equals("bagexpansion")) || !value.equals("bag")) {
                throw error(
                        DiagnosticCode.UNSUPPORTED_FEATURE, parameter.span(), operatorName + " " + parameter.name());
            }
        }
        OptionalLong limit = OptionalLong.empty();
        if (limitSyntax.isPresent()) {
            limit = OptionalLong.of(constantCount(limitSyntax.get()));
        }
        PlanNode extended = input;
        List<Integer> expanded = new ArrayList<>();
        for (Clause.MvExpandItem item : items) {
            int column;
            if (item.expression() instanceof Expression.NameReference name
                    && visibleIndex(extended.columns(), name.name()) >= 0
                    && extended.columns()
                                    .get(visibleIndex(extended.columns(), name.name()))
                                    .type()
                            == ColumnType.DYNAMIC) {
                column = visibleIndex(extended.columns(), name.name());
            } else {
                PlanNode before = extended;
                extended = extend(before, List.of(item.expression()));
                NamedValue named = named(item.expression(), new RowScope(before.columns()), new HashSet<>(), 0);
                column = visibleIndex(extended.columns(), named.name());
                if (extended.columns().get(column).type() != ColumnType.DYNAMIC) {
                    extended = retype(extended, column, ColumnType.DYNAMIC);
                }
            }
            if (expanded.contains(column)) {
                throw error(DiagnosticCode.UNSUPPORTED_FEATURE, item.span(), operatorName + " of one column twice");
            }
            expanded.add(column);
        }
        if (itemIndex.isPresent() && visibleIndex(extended.columns(), itemIndex.get()) >= 0) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    parameters.get(0).span(),
                    "with_itemindex names an existing column '" + itemIndex.get() + "'");
        }
        PlanNode result = new PlanNode.Unnest(extended, expanded, limit, itemIndex, bagExpansion);
        for (int position = 0; position < items.size(); position++) {
            if (items.get(position).toType().isPresent()) {
                result = retype(
                        result,
                        expanded.get(position),
                        typeName(items.get(position).toType().get()));
            }
        }
        return result;
    }

    /** The same columns with one converted to {@code target}. */
    private PlanNode retype(PlanNode input, int column, ColumnType target) {
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            PlanColumn current = input.columns().get(index);
            ScalarExpression value = reference(input, index);
            if (index == column) {
                value = convert(value, target);
                current = new PlanColumn(current.name(), target, current.hidden());
            }
            outputs.add(new Output(current, value));
        }
        return projection(input, outputs);
    }

    /**
     * mv-apply (mv-apply-operator): each input row is expanded into a sub-table, the subquery runs on each
     * sub-table alone, and the output is the union of the results, to which the source columns that were not
     * expanded are added. A subquery of only {@code where} / {@code extend} works row by row, so it is applied
     * once to all expansions. Otherwise each input row gets an identity (a hidden row number) and the
     * subquery's operators are bound per identity: {@code summarize} groups by it as well, {@code order by},
     * {@code top} and {@code take} order or number the rows within it; the source columns that were
     * not expanded ride along as hidden copies (one value per identity), and are added where the subquery
     * dropped them.
     */
    private PlanNode mvApply(PlanNode input, QueryOperator.MvApplyOperator apply) {
        if (rowWise(apply.subquery())) {
            PlanNode expanded = expandArrays(input, apply.parameters(), apply.items(), apply.limit(), "mv-apply");
            return applyRowWise(expanded, apply.subquery());
        }
        // the source columns that are not expanded: carried through the subquery as hidden copies
        Set<String> expandedNames = new HashSet<>();
        for (Clause.MvExpandItem item : apply.items()) {
            switch (item.expression()) {
                case Expression.NameReference name -> expandedNames.add(name.name());
                case Expression.NamedExpression named ->
                    expandedNames.add(named.names().get(0));
                default -> {}
            }
        }
        List<Integer> others = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            PlanColumn column = input.columns().get(index);
            if (!column.hidden() && !expandedNames.contains(column.name())) {
                others.add(index);
            }
        }
        List<PlanColumn> numbered = new ArrayList<>(input.columns());
        numbered.add(new PlanColumn(MV_APPLY_ROW, ColumnType.LONG, true));
        PlanNode withRow = new PlanNode.Window(
                input,
                List.of(new PlanNode.WindowCall(
                        WindowFunction.ROW_NUMBER, List.of(Constant.ofLong(1L)), ColumnType.LONG)),
                numbered);
        List<Output> carried = new ArrayList<>();
        for (int index = 0; index < withRow.columns().size(); index++) {
            carried.add(new Output(withRow.columns().get(index), reference(withRow, index)));
        }
        for (int index : others) {
            PlanColumn column = input.columns().get(index);
            carried.add(new Output(
                    new PlanColumn(MV_APPLY_SOURCE + column.name(), column.type(), true), reference(withRow, index)));
        }
        PlanNode expanded = expandArrays(
                projection(withRow, carried), apply.parameters(), apply.items(), apply.limit(), "mv-apply");
        PlanNode result = applyPerRow(expanded, apply.subquery());
        List<Output> outputs = new ArrayList<>();
        boolean missing = false;
        for (int index : others) {
            missing |= visibleIndex(result.columns(), input.columns().get(index).name()) < 0;
        }
        Set<String> otherNames = new HashSet<>();
        if (missing) {
            for (int index : others) {
                PlanColumn column = input.columns().get(index);
                otherNames.add(column.name());
                int kept = visibleIndex(result.columns(), column.name());
                if (kept < 0) {
                    kept = carriedIndex(result, MV_APPLY_SOURCE + column.name(), apply.span());
                    outputs.add(new Output(column, reference(result, kept)));
                } else {
                    outputs.add(new Output(result.columns().get(kept), reference(result, kept)));
                }
            }
        }
        for (int index = 0; index < result.columns().size(); index++) {
            PlanColumn column = result.columns().get(index);
            if (!otherNames.contains(column.name()) && !isMvApplyColumn(column)) {
                outputs.add(new Output(column, reference(result, index)));
            }
        }
        return projection(result, outputs);
    }

    private static boolean isMvApplyColumn(PlanColumn column) {
        return column.hidden() && column.name().startsWith("__mv_apply_");
    }

    /** The hidden copy of a source column that was not expanded. */
    private static final String MV_APPLY_SOURCE = "__mv_apply_source_";

    private int carriedIndex(PlanNode node, String name, Span span) {
        for (int index = node.columns().size() - 1; index >= 0; index--) {
            PlanColumn column = node.columns().get(index);
            if (column.hidden() && column.name().equals(name)) {
                return index;
            }
        }
        throw error(DiagnosticCode.UNSUPPORTED_FEATURE, span, "mv-apply subquery that drops the row identity");
    }

    /** The hidden row identity of a per-row mv-apply. */
    private static final String MV_APPLY_ROW = "__mv_apply_row";

    private static final String MV_APPLY_PREVIOUS = "__mv_apply_previous";

    private static final String MV_APPLY_RANK = "__mv_apply_rank";

    private int rowIndex(PlanNode node, Span span) {
        return carriedIndex(node, MV_APPLY_ROW, span);
    }

    private static boolean rowWise(Expression subquery) {
        return switch (subquery) {
            case Expression.Parenthesized parenthesized -> rowWise(parenthesized.expression());
            case Expression.Pipe pipe -> rowWise(pipe.source()) && rowWise(pipe.operator());
            case Expression.OperatorExpression operator -> rowWise(operator.operator());
            default -> true;
        };
    }

    private static boolean rowWise(QueryOperator operator) {
        return operator instanceof QueryOperator.WhereOperator || operator instanceof QueryOperator.ExtendOperator;
    }

    private PlanNode applyRowWise(PlanNode input, Expression subquery) {
        return switch (subquery) {
            case Expression.Parenthesized parenthesized -> applyRowWise(input, parenthesized.expression());
            case Expression.Pipe pipe -> rowWiseOperator(applyRowWise(input, pipe.source()), pipe.operator());
            case Expression.OperatorExpression operator -> rowWiseOperator(input, operator.operator());
            default -> throw error(DiagnosticCode.EXPECTED_TABULAR, subquery.span());
        };
    }

    private PlanNode rowWiseOperator(PlanNode input, QueryOperator operator) {
        return switch (operator) {
            case QueryOperator.WhereOperator where -> operator(input, where);
            case QueryOperator.ExtendOperator extend -> operator(input, extend);
            // expands each row on its own, so each sub-table stays apart
            case QueryOperator.MvExpandOperator expand -> operator(input, expand);
            default -> throw unsupportedInMvApply(operator);
        };
    }

    private PlanNode applyPerRow(PlanNode input, Expression subquery) {
        return switch (subquery) {
            case Expression.Parenthesized parenthesized -> applyPerRow(input, parenthesized.expression());
            case Expression.Pipe pipe -> perRowOperator(applyPerRow(input, pipe.source()), pipe.operator());
            case Expression.OperatorExpression operator -> perRowOperator(input, operator.operator());
            default -> throw error(DiagnosticCode.EXPECTED_TABULAR, subquery.span());
        };
    }

    /** One subquery operator over the sub-tables of all rows, told apart by the hidden row identity. */
    private PlanNode perRowOperator(PlanNode input, QueryOperator operator) {
        int row = rowIndex(input, operator.span());
        return switch (operator) {
            case QueryOperator.WhereOperator where -> operator(input, where);
            case QueryOperator.ExtendOperator extend -> operator(input, extend);
            case QueryOperator.MvExpandOperator expand -> operator(input, expand);
            case QueryOperator.ProjectOperator project -> {
                PlanNode bound = operator(input, project);
                if (!(bound instanceof PlanNode.Project projected)) {
                    throw unsupportedInMvApply(operator);
                }
                PlanNode inner = projected.input();
                List<ScalarExpression> expressions = new ArrayList<>(projected.expressions());
                List<PlanColumn> columns = new ArrayList<>(projected.columns());
                for (int index = 0; index < inner.columns().size(); index++) {
                    if (isMvApplyColumn(inner.columns().get(index))) {
                        expressions.add(reference(inner, index));
                        columns.add(inner.columns().get(index));
                    }
                }
                yield new PlanNode.Project(inner, expressions, columns);
            }
            case QueryOperator.SummarizeOperator summarize ->
                groupedByRow(operator(input, summarize), input, row, operator);
            case QueryOperator.SortOperator sort ->
                new PlanNode.Sort(input, byRow(input, row, sort.by()), OptionalLong.empty());
            case QueryOperator.TopOperator top ->
                firstPerRow(
                        new PlanNode.Sort(input, byRow(input, row, top.by()), OptionalLong.empty()),
                        row,
                        constantCount(top.count()));
            case QueryOperator.TakeOperator take -> firstPerRow(input, row, constantCount(take.count()));
            default -> throw unsupportedInMvApply(operator);
        };
    }

    private BindError unsupportedInMvApply(QueryOperator operator) {
        return error(
                DiagnosticCode.UNSUPPORTED_FEATURE,
                operator.span(),
                "mv-apply subquery with " + operatorName(operator)
                        + " (only where, extend, project, summarize, top, take, order by)");
    }

    /** Sort keys with the row identity first, so each row's sub-table stays together. */
    private List<PlanNode.SortKey> byRow(PlanNode input, int row, List<Clause.OrderedExpression> keys) {
        List<PlanNode.SortKey> sortKeys = new ArrayList<>();
        sortKeys.add(new PlanNode.SortKey(reference(input, row), true, false));
        sortKeys.addAll(sortKeys(input, keys));
        return sortKeys;
    }

    /** The first {@code count} rows of each row's sub-table, in the input's order. */
    private PlanNode firstPerRow(PlanNode input, int row, long count) {
        int width = input.columns().size();
        List<PlanColumn> withPrevious = new ArrayList<>(input.columns());
        withPrevious.add(new PlanColumn(MV_APPLY_PREVIOUS, ColumnType.LONG, true));
        PlanNode previous = new PlanNode.Window(
                input,
                List.of(new PlanNode.WindowCall(
                        WindowFunction.PREVIOUS,
                        List.of(reference(input, row), Constant.ofLong(1L), Constant.ofLong(0L)),
                        ColumnType.LONG)),
                withPrevious);
        List<PlanColumn> withRank = new ArrayList<>(withPrevious);
        withRank.add(new PlanColumn(MV_APPLY_RANK, ColumnType.LONG, true));
        ScalarExpression restart =
                call(ScalarFunction.NOT_EQUAL, ColumnType.BOOL, reference(previous, row), reference(previous, width));
        PlanNode ranked = new PlanNode.Window(
                previous,
                List.of(new PlanNode.WindowCall(
                        WindowFunction.ROW_NUMBER, List.of(Constant.ofLong(1L), restart), ColumnType.LONG)),
                withRank);
        PlanNode first = new PlanNode.Filter(
                ranked,
                call(ScalarFunction.LESS_EQUAL, ColumnType.BOOL, reference(ranked, width + 1), Constant.ofLong(count)));
        List<Output> outputs = new ArrayList<>();
        for (int index = 0; index < width; index++) {
            outputs.add(new Output(input.columns().get(index), reference(first, index)));
        }
        return projection(first, outputs);
    }

    /** A bound summarize, grouped by the row identity as well (its first key, hidden). */
    private PlanNode groupedByRow(PlanNode bound, PlanNode input, int row, QueryOperator operator) {
        switch (bound) {
            case PlanNode.Aggregate aggregate
            when aggregate.input() == input -> {
                List<ScalarExpression> keys = new ArrayList<>();
                keys.add(reference(input, row));
                keys.addAll(aggregate.groupKeys());
                List<PlanColumn> columns = new ArrayList<>();
                columns.add(input.columns().get(row));
                columns.addAll(aggregate.columns());
                List<PlanNode.AggregateCall> aggregates = new ArrayList<>(aggregate.aggregates());
                // the carried source columns are the same on all rows of one identity
                for (int index = 0; index < input.columns().size(); index++) {
                    PlanColumn column = input.columns().get(index);
                    if (isMvApplyColumn(column) && index != row) {
                        aggregates.add(new PlanNode.AggregateCall(
                                AggregateFunction.ANY, List.of(reference(input, index)), column.type()));
                        columns.add(column);
                    }
                }
                return new PlanNode.Aggregate(input, keys, aggregates, columns);
            }
            case PlanNode.Project project -> {
                PlanNode inner = groupedByRow(project.input(), input, row, operator);
                List<ScalarExpression> expressions = new ArrayList<>();
                List<PlanColumn> columns = new ArrayList<>();
                for (ScalarExpression expression : project.expressions()) {
                    expressions.add(shifted(expression, operator));
                }
                columns.addAll(project.columns());
                for (int index = 0; index < inner.columns().size(); index++) {
                    if (isMvApplyColumn(inner.columns().get(index))) {
                        expressions.add(reference(inner, index));
                        columns.add(inner.columns().get(index));
                    }
                }
                return new PlanNode.Project(inner, expressions, columns);
            }
            default -> throw unsupportedInMvApply(operator);
        }
    }

    /** The expression over a node that got one more column in front. */
    private ScalarExpression shifted(ScalarExpression expression, QueryOperator operator) {
        return switch (expression) {
            case ColumnReference reference ->
                new ColumnReference(reference.index() + 1, reference.name(), reference.type());
            case Constant constant -> constant;
            case Call call -> {
                List<ScalarExpression> arguments = new ArrayList<>();
                for (ScalarExpression argument : call.arguments()) {
                    arguments.add(shifted(argument, operator));
                }
                yield new Call(call.function(), arguments, call.type());
            }
            default -> throw unsupportedInMvApply(operator);
        };
    }

    /** range (range-operator): one column of start, start + step, ... up to stop inclusive. */
    private PlanNode range(QueryOperator.RangeOperator range) {
        ScalarExpression start = scalar(range.from(), RowScope.EMPTY);
        ScalarExpression stop = scalar(range.to(), RowScope.EMPTY);
        ScalarExpression step = scalar(range.step(), RowScope.EMPTY);
        ColumnType type = rangeType(start, stop, step, range.span());
        if (isNumeric(type)) {
            step = convert(step, type);
        }
        return new PlanNode.Series(
                new PlanColumn(range.column(), type), convert(start, type), convert(stop, type), step);
    }

    /** The element type of a range: long for integers, real if any bound is real, or datetime / timespan. */
    private ColumnType rangeType(ScalarExpression start, ScalarExpression stop, ScalarExpression step, Span span) {
        if (isNumeric(start.type()) && isNumeric(stop.type()) && isNumeric(step.type())) {
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
        throw error(
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
    private PlanNode makeSeries(PlanNode input, QueryOperator.MakeSeriesOperator makeSeries) {
        boolean nonEmpty = false;
        for (Clause.OperatorParameter parameter : makeSeries.parameters()) {
            if (!parameter.name().equalsIgnoreCase("kind")) {
                throw error(DiagnosticCode.UNSUPPORTED_FEATURE, parameter.span(), "make-series " + parameter.name());
            }
            String kind = literalText(parameter.value());
            if (!kind.equals("nonempty")) {
                throw error(DiagnosticCode.INVALID_VALUE, parameter.value().span(), "make-series kind", kind);
            }
            nonEmpty = true;
        }
        if (makeSeries.range().isEmpty()) {
            throw error(DiagnosticCode.UNSUPPORTED_FEATURE, makeSeries.span(), "make-series without a step");
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
        ScalarExpression axis = scalar(makeSeries.axis(), scope);
        ScalarExpression step = scalar(stepSyntax, RowScope.EMPTY);
        ScalarExpression start;
        if (startSyntax.isPresent()) {
            start = scalar(startSyntax.get(), RowScope.EMPTY);
        } else {
            start = seriesOrigin(axis, step, stepSyntax.span());
        }
        ScalarExpression stop = start;
        if (stopSyntax.isPresent()) {
            stop = scalar(stopSyntax.get(), RowScope.EMPTY);
        }
        ColumnType axisType =
                rangeType(start, stop, step, makeSeries.range().get().span());
        boolean compatible = axis.type() == axisType || (isNumeric(axis.type()) && isNumeric(axisType));
        if (!compatible) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    makeSeries.axis().span(),
                    "make-series axis of type " + axis.type().kqlName() + " with a " + axisType.kqlName() + " range");
        }
        String axisName = resultName(makeSeries.axis()).orElse("Column1");
        Set<String> taken = new HashSet<>();
        List<ScalarExpression> keys = new ArrayList<>();
        List<PlanColumn> keyColumns = new ArrayList<>();
        for (Expression item : makeSeries.groupBy()) {
            NamedValue named = named(item, scope, taken, keyColumns.size());
            keys.add(named.value());
            keyColumns.add(
                    new PlanColumn(unique(named.name(), taken), named.value().type()));
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
                throw error(DiagnosticCode.EXPECTED_AGGREGATE, value.span());
            }
            aggregate(input, scope, call, declared, taken, aggregates, aggregateColumns);
            ColumnType type = aggregateColumns.get(aggregateColumns.size() - 1).type();
            if (!isNumeric(type) && type != ColumnType.DATETIME && type != ColumnType.TIMESPAN) {
                throw error(
                        DiagnosticCode.TYPE_MISMATCH,
                        call.span(),
                        "make-series takes aggregates with numeric results, not " + type.kqlName());
            }
            ScalarExpression fallback = Constant.ofLong(0);
            if (item.defaultValue().isPresent()) {
                fallback = scalar(item.defaultValue().get(), RowScope.EMPTY);
                if (!(fallback instanceof Constant)) {
                    throw error(
                            DiagnosticCode.EXPECTED_CONSTANT,
                            item.defaultValue().get().span(),
                            "default");
                }
            }
            defaults.add(fallback);
        }
        if (taken.contains(axisName)) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    makeSeries.axis().span(),
                    "make-series names two columns " + axisName);
        }
        if (isNumeric(axisType)) {
            axis = convert(axis, axisType);
            start = convert(start, axisType);
            stop = convert(stop, axisType);
            step = convert(step, axisType);
        }
        // kind=nonempty: "Produces default result when the input of make-series operator is empty"; the page shows
        // it without by and with from and to; with by columns (which values?) or data-derived bounds it is refused
        if (nonEmpty && (!keys.isEmpty() || startSyntax.isEmpty() || stopSyntax.isEmpty())) {
            throw error(
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
    private ScalarExpression seriesOrigin(ScalarExpression axis, ScalarExpression step, Span span) {
        return switch (axis.type()) {
            case DATETIME -> {
                if (!(step instanceof Constant constant) || !(constant.value() instanceof Duration size)) {
                    throw error(DiagnosticCode.EXPECTED_CONSTANT, span, "timespan step of a make-series without from");
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
                    throw error(
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
                throw error(
                        DiagnosticCode.TYPE_MISMATCH,
                        span,
                        "make-series axis of type " + axis.type().kqlName());
        };
    }

    /**
     * pack_all([ignore_null_empty]): a bag of every visible column of the row, keyed by column name in column
     * order (pack-all-function); with {@code true}, the columns that are null (or an empty string) are left out.
     */
    private ScalarExpression packAll(Expression.FunctionCall call, RowScope scope) {
        arity(call, 0, 1);
        boolean ignoreNullEmpty = false;
        if (call.arguments().size() == 1) {
            if (!(argument(call, 0, scope) instanceof Constant constant)
                    || !(constant.value() instanceof Boolean flag)) {
                throw error(
                        DiagnosticCode.EXPECTED_CONSTANT,
                        call.arguments().get(0).span(),
                        "bool (ignore_null_empty)");
            }
            ignoreNullEmpty = flag;
        }
        List<ScalarExpression> pairs = new ArrayList<>();
        List<ScalarExpression> single = new ArrayList<>();
        for (int index = 0; index < scope.columns().size(); index++) {
            PlanColumn column = scope.columns().get(index);
            if (column.hidden()) {
                continue;
            }
            ScalarExpression value = new ColumnReference(index, column.name(), column.type());
            ScalarExpression key = Constant.ofString(column.name());
            if (!ignoreNullEmpty) {
                pairs.add(key);
                pairs.add(value);
                continue;
            }
            ScalarExpression empty = call(ScalarFunction.IS_NULL, ColumnType.BOOL, value);
            if (column.type() == ColumnType.STRING) {
                empty = call(
                        ScalarFunction.OR,
                        ColumnType.BOOL,
                        empty,
                        call(ScalarFunction.EQUAL, ColumnType.BOOL, value, Constant.ofString("")));
            }
            single.add(call(
                    ScalarFunction.IF,
                    ColumnType.DYNAMIC,
                    empty,
                    new Constant(ColumnType.DYNAMIC, "{}"),
                    new Call(ScalarFunction.BAG_PACK, List.of(key, value), ColumnType.DYNAMIC)));
        }
        if (!ignoreNullEmpty) {
            return new Call(ScalarFunction.BAG_PACK, pairs, ColumnType.DYNAMIC);
        }
        if (single.isEmpty()) {
            return new Constant(ColumnType.DYNAMIC, "{}");
        }
        // the keys are distinct; bag_merge concatenates its bags last to first, so this keeps column order
        List<ScalarExpression> reversed = new ArrayList<>(single);
        Collections.reverse(reversed);
        return new Call(ScalarFunction.BAG_MERGE, reversed, ColumnType.DYNAMIC);
    }

    /** series_* functions that are one value (series_stats_dynamic, series_outliers) and range(). */
    private ScalarExpression seriesFunction(Expression.FunctionCall call, RowScope scope) {
        switch (call.name()) {
            case "series_stats_dynamic" -> {
                arity(call, 1, 2);
                ScalarExpression ignore = Constant.ofBool(false);
                if (call.arguments().size() > 1) {
                    ignore = toBool(
                            argument(call, 1, scope), call.arguments().get(1).span());
                }
                return call(ScalarFunction.SERIES_STATS, ColumnType.DYNAMIC, series(call, scope), ignore);
            }
            case "series_outliers" -> {
                arity(call, 1, 5);
                String kind = optionalChoice(call, 1, scope, "ctukey", Set.of("ctukey", "tukey"), "kind");
                ScalarExpression ignore = nullOf(ColumnType.REAL);
                if (call.arguments().size() > 2) {
                    ignore = number(call, 2, scope);
                }
                ScalarExpression minimum = new Constant(ColumnType.REAL, 10.0);
                ScalarExpression maximum = new Constant(ColumnType.REAL, 90.0);
                if (call.arguments().size() > 3) {
                    minimum = number(call, 3, scope);
                }
                if (call.arguments().size() > 4) {
                    maximum = number(call, 4, scope);
                }
                return call(
                        ScalarFunction.SERIES_OUTLIERS,
                        ColumnType.DYNAMIC,
                        series(call, scope),
                        Constant.ofString(kind),
                        ignore,
                        minimum,
                        maximum);
            }
            case "range" -> {
                arity(call, 2, 3);
                ScalarExpression start = argument(call, 0, scope);
                ScalarExpression stop = argument(call, 1, scope);
                ScalarExpression step = Constant.ofLong(1);
                if (call.arguments().size() > 2) {
                    step = argument(call, 2, scope);
                }
                ColumnType type = rangeType(start, stop, step, call.span());
                if (isNumeric(type)) {
                    step = convert(step, type);
                }
                return call(
                        ScalarFunction.RANGE_ARRAY,
                        ColumnType.DYNAMIC,
                        convert(start, type),
                        convert(stop, type),
                        step);
            }
            default ->
                throw error(
                        DiagnosticCode.TYPE_MISMATCH,
                        call.span(),
                        call.name() + " returns several columns: use extend (a, b, ...) = " + call.name() + "(...)");
        }
    }

    private ScalarExpression series(Expression.FunctionCall call, RowScope scope) {
        ScalarExpression series = argument(call, 0, scope);
        if (series.type() != ColumnType.DYNAMIC) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    call.arguments().get(0).span(),
                    call.name() + " takes a dynamic array, got " + series.type().kqlName());
        }
        return series;
    }

    private String optionalChoice(
            Expression.FunctionCall call,
            int index,
            RowScope scope,
            String fallback,
            Set<String> choices,
            String what) {
        if (call.arguments().size() <= index) {
            return fallback;
        }
        String value = constantString(call, index, scope, what).toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return fallback;
        }
        if (!choices.contains(value)) {
            throw error(
                    DiagnosticCode.INVALID_VALUE, call.arguments().get(index).span(), what, value);
        }
        return value;
    }

    /**
     * The columns of a series function that returns several (series_fit_line, series_stats,
     * series_decompose_anomalies): {@code (a, b) = f(x)} names the first ones, an unnamed {@code f(x)}
     * gives {@code f_x_field} (series-fit-line-function, series-stats-function). Empty for other items.
     */
    private Optional<List<NamedValue>> seriesColumns(Expression item, RowScope scope) {
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
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    item.span(),
                    call.name() + " returns several columns: name them as (a, b, ...) = " + call.name() + "(...)");
        }
        if (names.size() > fields.size()) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    item.span(),
                    call.name() + " returns " + fields.size() + " columns, not " + names.size());
        }
        ScalarExpression result = seriesObject(call, scope);
        String prefix = call.name() + "_" + resultName(call.arguments().get(0)).orElse("") + "_";
        List<NamedValue> columns = new ArrayList<>();
        int count = names.isEmpty() ? fields.size() : names.size();
        for (int index = 0; index < count; index++) {
            SeriesFunctions.Field field = fields.get(index);
            String name = prefix + field.name();
            if (!names.isEmpty()) {
                name = names.get(index);
            }
            ScalarExpression member =
                    call(ScalarFunction.DYNAMIC_MEMBER, ColumnType.DYNAMIC, result, Constant.ofString(field.name()));
            columns.add(new NamedValue(name, convert(member, field.type())));
        }
        return Optional.of(columns);
    }

    /** The object a several-column series function computes, one member per column. */
    private ScalarExpression seriesObject(Expression.FunctionCall call, RowScope scope) {
        switch (call.name()) {
            case "series_fit_line" -> {
                arity(call, 1, 1);
                return call(ScalarFunction.SERIES_FIT_LINE, ColumnType.DYNAMIC, series(call, scope));
            }
            case "series_stats" -> {
                arity(call, 1, 2);
                ScalarExpression ignore = Constant.ofBool(false);
                if (call.arguments().size() > 1) {
                    ignore = toBool(
                            argument(call, 1, scope), call.arguments().get(1).span());
                }
                return call(ScalarFunction.SERIES_STATS, ColumnType.DYNAMIC, series(call, scope), ignore);
            }
            default -> {
                // series_decompose_anomalies(Series, Threshold, Seasonality, Trend, Test_points, AD_method,
                // Seasonality_threshold); an empty or missing argument takes its default
                arity(call, 1, 7);
                ScalarExpression threshold = new Constant(ColumnType.REAL, 1.5);
                if (call.arguments().size() > 1) {
                    threshold = number(call, 1, scope);
                }
                ScalarExpression seasonality = Constant.ofLong(-1);
                if (call.arguments().size() > 2) {
                    seasonality = integer(call, 2, scope);
                }
                String trend = optionalChoice(call, 3, scope, "avg", Set.of("avg", "linefit", "none"), "trend");
                ScalarExpression testPoints = Constant.ofLong(0);
                if (call.arguments().size() > 4) {
                    testPoints = integer(call, 4, scope);
                }
                String method = optionalChoice(call, 5, scope, "ctukey", Set.of("ctukey", "tukey"), "AD_method");
                ScalarExpression seasonalityThreshold = new Constant(ColumnType.REAL, 0.6);
                if (call.arguments().size() > 6) {
                    seasonalityThreshold = number(call, 6, scope);
                }
                return call(
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

    private ColumnType typeName(Clause.TypeReference type) {
        return switch (type.name().toLowerCase(Locale.ROOT)) {
            case "string" -> ColumnType.STRING;
            case "int", "int32" -> ColumnType.INT;
            case "long", "int64" -> ColumnType.LONG;
            case "real", "double" -> ColumnType.REAL;
            case "bool", "boolean" -> ColumnType.BOOL;
            case "datetime", "date" -> ColumnType.DATETIME;
            case "timespan", "time" -> ColumnType.TIMESPAN;
            case "guid", "uniqueid" -> ColumnType.GUID;
            case "dynamic" -> ColumnType.DYNAMIC;
            default -> throw error(DiagnosticCode.UNSUPPORTED_FEATURE, type.span(), "type " + type.name());
        };
    }

    private PlanNode getSchema(PlanNode input) {
        List<PlanColumn> columns = List.of(
                new PlanColumn("ColumnName", ColumnType.STRING),
                new PlanColumn("ColumnOrdinal", ColumnType.INT),
                new PlanColumn("DataType", ColumnType.STRING),
                new PlanColumn("ColumnType", ColumnType.STRING));
        List<List<ScalarExpression>> rows = new ArrayList<>();
        int ordinal = 0;
        for (PlanColumn column : input.columns()) {
            if (column.hidden()) {
                continue;
            }
            rows.add(List.of(
                    Constant.ofString(column.name()),
                    new Constant(ColumnType.INT, ordinal++),
                    Constant.ofString(clrType(column.type())),
                    Constant.ofString(column.type().kqlName())));
        }
        return new PlanNode.Values(columns, rows);
    }

    /** The .NET type names getschema prints (getschema-operator). */
    private static String clrType(ColumnType type) {
        return switch (type) {
            case STRING -> "System.String";
            case INT -> "System.Int32";
            case LONG -> "System.Int64";
            case REAL -> "System.Double";
            case BOOL -> "System.SByte";
            case DATETIME -> "System.DateTime";
            case GUID -> "System.Guid";
            case TIMESPAN -> "System.TimeSpan";
            case DYNAMIC -> "System.Object";
        };
    }

    /** print: unnamed values are {@code print_0}, {@code print_1}... (print-operator). */
    private PlanNode print(QueryOperator.PrintOperator print) {
        List<PlanColumn> columns = new ArrayList<>();
        List<ScalarExpression> values = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int index = 0; index < print.columns().size(); index++) {
            Expression item = print.columns().get(index);
            ScalarExpression value;
            String name;
            if (item instanceof Expression.NamedExpression named
                    && named.names().size() == 1) {
                value = scalar(named.value(), RowScope.EMPTY);
                name = named.names().get(0);
            } else {
                value = scalar(item, RowScope.EMPTY);
                name = "print_" + index;
            }
            values.add(value);
            columns.add(new PlanColumn(unique(name, taken), value.type()));
        }
        return new PlanNode.Values(columns, List.of(values));
    }

    private PlanNode datatable(QueryOperator.DataTableOperator datatable) {
        List<PlanColumn> columns = new ArrayList<>();
        for (Clause.ColumnDeclaration declaration : datatable.schema()) {
            columns.add(new PlanColumn(declaration.name(), typeName(declaration.type())));
        }
        if (columns.isEmpty() || datatable.values().size() % columns.size() != 0) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    datatable.span(),
                    "datatable needs a multiple of " + columns.size() + " values, got "
                            + datatable.values().size());
        }
        List<List<ScalarExpression>> rows = new ArrayList<>();
        List<ScalarExpression> row = new ArrayList<>();
        for (Expression value : datatable.values()) {
            PlanColumn column = columns.get(row.size());
            ScalarExpression bound = scalar(value, RowScope.EMPTY);
            if (!(bound instanceof Constant)) {
                throw error(
                        DiagnosticCode.EXPECTED_CONSTANT,
                        value.span(),
                        column.type().kqlName());
            }
            row.add(convert(bound, column.type()));
            if (row.size() == columns.size()) {
                rows.add(row);
                row = new ArrayList<>();
            }
        }
        return new PlanNode.Values(columns, rows);
    }

    // ---------------------------------------------------------------- scalar expressions

    private ScalarExpression condition(Expression expression, RowScope scope) {
        return toBool(scalar(expression, scope), expression.span());
    }

    private ScalarExpression toBool(ScalarExpression value, Span span) {
        if (value.type() == ColumnType.BOOL) {
            return value;
        }
        if (value.type() == ColumnType.DYNAMIC) {
            return convert(value, ColumnType.BOOL);
        }
        throw error(
                DiagnosticCode.TYPE_MISMATCH,
                span,
                "Expected a bool expression, got " + value.type().kqlName());
    }

    private static Call call(ScalarFunction function, ColumnType type, ScalarExpression... arguments) {
        return new Call(function, List.of(arguments), type);
    }

    private ScalarExpression scalar(Expression expression, RowScope scope) {
        return switch (expression) {
            case Expression.Literal literal -> literal(literal);
            case Expression.NameReference name -> name(name, scope);
            case Expression.Parenthesized parenthesized -> {
                if (isTabular(parenthesized.expression())) {
                    throw error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
                }
                yield scalar(parenthesized.expression(), scope);
            }
            case Expression.Unary unary -> unary(unary, scope);
            case Expression.Binary binary -> binary(binary, scope);
            case Expression.In in -> in(in, scope);
            case Expression.Between between -> between(between, scope);
            case Expression.FunctionCall call -> function(call, scope);
            case Expression.MemberAccess member -> member(member, scope);
            case Expression.ElementAccess element -> element(element, scope);
            case Expression.DynamicLiteral dynamic -> new Constant(ColumnType.DYNAMIC, json(dynamic.value()));
            case Expression.Missing missing -> throw error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.WildcardName wildcard -> throw error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.Star star -> throw error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.NamedExpression named -> throw error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.DynamicArray array -> new Constant(ColumnType.DYNAMIC, json(array));
            case Expression.DynamicObject object -> new Constant(ColumnType.DYNAMIC, json(object));
            case Expression.TypeOf typeOf -> throw error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.FunctionDeclaration declaration ->
                throw error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.Pipe pipe -> throw error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.OperatorExpression operator ->
                throw error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
        };
    }

    private ScalarExpression literal(Expression.Literal literal) {
        String value = literal.value();
        boolean isNull = value.strip().equals("null");
        try {
            return switch (literal.kind()) {
                case STRING -> Constant.ofString(value);
                case LONG -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.LONG);
                    }
                    yield Constant.ofLong(parseLong(value));
                }
                case INT -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.INT);
                    }
                    yield new Constant(ColumnType.INT, Math.toIntExact(parseLong(value)));
                }
                case REAL, DECIMAL -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.REAL);
                    }
                    yield new Constant(ColumnType.REAL, Double.parseDouble(value.strip()));
                }
                case BOOLEAN -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.BOOL);
                    }
                    String text = value.strip().toLowerCase(Locale.ROOT);
                    if (!text.equals("true") && !text.equals("false")) {
                        throw error(DiagnosticCode.INVALID_VALUE, literal.span(), "bool", value);
                    }
                    yield Constant.ofBool(text.equals("true"));
                }
                case DATETIME -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.DATETIME);
                    }
                    Optional<Instant> instant = LiteralValues.datetime(value);
                    if (instant.isEmpty()) {
                        throw error(DiagnosticCode.INVALID_VALUE, literal.span(), "datetime", value);
                    }
                    yield new Constant(ColumnType.DATETIME, instant.get());
                }
                case TIMESPAN -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.TIMESPAN);
                    }
                    Optional<Duration> duration = LiteralValues.timespan(value);
                    if (duration.isEmpty()) {
                        throw error(DiagnosticCode.INVALID_VALUE, literal.span(), "timespan", value);
                    }
                    yield new Constant(ColumnType.TIMESPAN, duration.get());
                }
                case GUID -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.GUID);
                    }
                    yield new Constant(ColumnType.GUID, value.strip().toLowerCase(Locale.ROOT));
                }
                case NULL -> Constant.nullOf(ColumnType.DYNAMIC);
            };
        } catch (NumberFormatException | ArithmeticException exception) {
            throw error(
                    DiagnosticCode.INVALID_VALUE,
                    literal.span(),
                    literal.kind().name().toLowerCase(Locale.ROOT),
                    value);
        }
    }

    private static long parseLong(String text) {
        String value = text.strip();
        if (value.startsWith("0x") || value.startsWith("0X")) {
            return Long.parseLong(value.substring(2), 16);
        }
        return Long.parseLong(value);
    }

    /** JSON text of a dynamic literal's value. */
    private String json(Expression value) {
        StringBuilder text = new StringBuilder();
        json(value, text);
        return text.toString();
    }

    private void json(Expression value, StringBuilder text) {
        switch (value) {
            case Expression.DynamicArray array -> {
                text.append('[');
                for (int index = 0; index < array.elements().size(); index++) {
                    if (index > 0) {
                        text.append(',');
                    }
                    json(array.elements().get(index), text);
                }
                text.append(']');
            }
            case Expression.DynamicObject object -> {
                text.append('{');
                for (int index = 0; index < object.properties().size(); index++) {
                    if (index > 0) {
                        text.append(',');
                    }
                    Clause.DynamicProperty property = object.properties().get(index);
                    Json.appendQuoted(text, property.key());
                    text.append(':');
                    json(property.value(), text);
                }
                text.append('}');
            }
            case Expression.DynamicLiteral literal -> json(literal.value(), text);
            default -> {
                ScalarExpression scalar = scalar(value, RowScope.EMPTY);
                if (!(scalar instanceof Constant constant)) {
                    throw error(DiagnosticCode.EXPECTED_CONSTANT, value.span(), "dynamic value");
                }
                jsonValue(constant, text);
            }
        }
    }

    private static void jsonValue(Constant constant, StringBuilder text) {
        Object value = constant.value();
        if (value == null) {
            text.append("null");
            return;
        }
        switch (constant.type()) {
            case STRING, GUID -> Json.appendQuoted(text, (String) value);
            case DYNAMIC -> text.append((String) value);
            case INT, LONG, BOOL -> text.append(value);
            case REAL -> {
                double real = (Double) value;
                if (Double.isFinite(real)) {
                    text.append(value);
                } else {
                    text.append("null");
                }
            }
            case DATETIME -> Json.appendQuoted(text, value.toString());
            case TIMESPAN -> Json.appendQuoted(text, value.toString());
        }
    }

    private ScalarExpression name(Expression.NameReference name, RowScope scope) {
        int index = visibleIndex(scope.columns(), name.name());
        if (index >= 0) {
            PlanColumn column = scope.columns().get(index);
            return new ColumnReference(index, column.name(), column.type());
        }
        Binding binding = lets.get(name.name());
        if (binding instanceof ScalarBinding scalar) {
            return scalar.value();
        }
        if (binding instanceof TabularBinding) {
            throw error(DiagnosticCode.EXPECTED_SCALAR, name.span());
        }
        if (binding instanceof FunctionBinding function) {
            return scalarCall(name.name(), function, List.of(), scope, name.span());
        }
        if (binding instanceof FailedBinding) {
            throw new BindError();
        }
        throw error(DiagnosticCode.UNKNOWN_COLUMN, name.span(), name.name());
    }

    private ScalarExpression unary(Expression.Unary unary, RowScope scope) {
        ScalarExpression operand = scalar(unary.operand(), scope);
        return switch (unary.operator()) {
            case PLUS -> operand;
            case MINUS -> {
                if (operand instanceof Constant constant && constant.value() != null) {
                    Object value = constant.value();
                    if (value instanceof Long number) {
                        yield Constant.ofLong(-number);
                    }
                    if (value instanceof Integer number) {
                        yield new Constant(ColumnType.INT, -number);
                    }
                    if (value instanceof Double number) {
                        yield new Constant(ColumnType.REAL, -number);
                    }
                    if (value instanceof Duration duration) {
                        yield new Constant(ColumnType.TIMESPAN, duration.negated());
                    }
                }
                if (!isNumeric(operand.type()) && operand.type() != ColumnType.TIMESPAN) {
                    throw error(
                            DiagnosticCode.TYPE_MISMATCH,
                            unary.span(),
                            "Cannot negate a " + operand.type().kqlName());
                }
                yield call(ScalarFunction.NEGATE, operand.type(), operand);
            }
        };
    }

    /**
     * String against number under {@code ==}, {@code !=}, {@code in}, {@code !in}: Log Analytics runs these
     * and compares the number as its text; Sentinel rules rely on it ({@code SigninLogs | where ResultType ==
     * 50057}, where ResultType is a string, and {@code EventID in ("4688")} over the int EventID). Ordering
     * comparisons stay errors, as in Kusto ("Cannot compare values of types string and long").
     */
    private static boolean isLooseEquality(ColumnType left, ColumnType right) {
        return (left == ColumnType.STRING && isNumeric(right)) || (isNumeric(left) && right == ColumnType.STRING);
    }

    private static boolean isNumeric(ColumnType type) {
        return type == ColumnType.INT || type == ColumnType.LONG || type == ColumnType.REAL;
    }

    private static ColumnType promote(ColumnType left, ColumnType right) {
        if (left == ColumnType.REAL || right == ColumnType.REAL) {
            return ColumnType.REAL;
        }
        if (left == ColumnType.LONG || right == ColumnType.LONG) {
            return ColumnType.LONG;
        }
        return ColumnType.INT;
    }

    /** The type two sides are compared in; dynamic takes the other side's type. */
    private static ColumnType comparisonType(ColumnType left, ColumnType right) {
        if (left == right) {
            return left;
        }
        if (isNumeric(left) && isNumeric(right)) {
            return promote(left, right);
        }
        if (left == ColumnType.DYNAMIC) {
            return right;
        }
        if (right == ColumnType.DYNAMIC) {
            return left;
        }
        if ((left == ColumnType.STRING && right == ColumnType.GUID)
                || (left == ColumnType.GUID && right == ColumnType.STRING)) {
            return ColumnType.STRING;
        }
        return null;
    }

    /** A value in another type: constants fold, others convert with KQL's to* functions. */
    private ScalarExpression convert(ScalarExpression value, ColumnType target) {
        if (value.type() == target) {
            return value;
        }
        if (value instanceof Constant constant) {
            Object folded = fold(constant, target);
            if (folded != null || constant.value() == null) {
                if (folded == null && target == ColumnType.STRING) {
                    return Constant.ofString("");
                }
                return new Constant(target, folded);
            }
        }
        ScalarFunction function = switch (target) {
            case STRING, GUID -> ScalarFunction.TO_STRING;
            case INT -> ScalarFunction.TO_INT;
            case LONG -> ScalarFunction.TO_LONG;
            case REAL -> ScalarFunction.TO_REAL;
            case BOOL -> ScalarFunction.TO_BOOL;
            case DATETIME -> ScalarFunction.TO_DATETIME;
            case TIMESPAN -> ScalarFunction.TO_TIMESPAN;
            case DYNAMIC -> ScalarFunction.TO_DYNAMIC;
        };
        ColumnType result = target;
        if (target == ColumnType.GUID) {
            result = ColumnType.STRING;
        }
        return call(function, result, value);
    }

    private static Object fold(Constant constant, ColumnType target) {
        Object value = constant.value();
        if (value == null) {
            return null;
        }
        return switch (target) {
            case LONG -> {
                if (value instanceof Integer number) {
                    yield (long) number;
                }
                yield null;
            }
            case REAL -> {
                if (value instanceof Number number) {
                    yield number.doubleValue();
                }
                yield null;
            }
            case INT -> {
                if (value instanceof Long number && number == number.intValue()) {
                    yield number.intValue();
                }
                yield null;
            }
            case STRING, GUID -> {
                if (value instanceof String text && constant.type() != ColumnType.DYNAMIC) {
                    yield text;
                }
                if (value instanceof Number || value instanceof Boolean) {
                    yield value.toString();
                }
                yield null;
            }
            case BOOL, DATETIME, TIMESPAN, DYNAMIC -> null;
        };
    }

    private ScalarExpression asString(ScalarExpression value) {
        if (value.type() == ColumnType.STRING) {
            return value;
        }
        return convert(value, ColumnType.STRING);
    }

    private ScalarExpression binary(Expression.Binary binary, RowScope scope) {
        BinaryOperator operator = binary.operator();
        switch (operator) {
            case AND, OR -> {
                ScalarExpression left = condition(binary.left(), scope);
                ScalarExpression right = condition(binary.right(), scope);
                ScalarFunction function = ScalarFunction.AND;
                if (operator == BinaryOperator.OR) {
                    function = ScalarFunction.OR;
                }
                return call(function, ColumnType.BOOL, left, right);
            }
            default -> {
                // the others bind both sides first
            }
        }
        ScalarExpression left = scalar(binary.left(), scope);
        ScalarExpression right = scalar(binary.right(), scope);
        return switch (operator) {
            case AND, OR -> throw new IllegalStateException("handled above");
            case EQUAL -> compare(ScalarFunction.EQUAL, left, right, binary);
            case NOT_EQUAL, LESS_GREATER -> compare(ScalarFunction.NOT_EQUAL, left, right, binary);
            case LESS -> compare(ScalarFunction.LESS, left, right, binary);
            case LESS_EQUAL -> compare(ScalarFunction.LESS_EQUAL, left, right, binary);
            case GREATER -> compare(ScalarFunction.GREATER, left, right, binary);
            case GREATER_EQUAL -> compare(ScalarFunction.GREATER_EQUAL, left, right, binary);
            case EQUAL_CASE_INSENSITIVE -> stringPredicate(ScalarFunction.EQUAL_IGNORE_CASE, false, left, right);
            case NOT_EQUAL_CASE_INSENSITIVE -> stringPredicate(ScalarFunction.EQUAL_IGNORE_CASE, true, left, right);
            case HAS -> stringPredicate(ScalarFunction.HAS, false, left, right);
            case NOT_HAS -> stringPredicate(ScalarFunction.HAS, true, left, right);
            case HAS_CS -> stringPredicate(ScalarFunction.HAS_CS, false, left, right);
            case NOT_HAS_CS -> stringPredicate(ScalarFunction.HAS_CS, true, left, right);
            case HAS_PREFIX -> stringPredicate(ScalarFunction.HAS_PREFIX, false, left, right);
            case NOT_HAS_PREFIX -> stringPredicate(ScalarFunction.HAS_PREFIX, true, left, right);
            case HAS_SUFFIX -> stringPredicate(ScalarFunction.HAS_SUFFIX, false, left, right);
            case NOT_HAS_SUFFIX -> stringPredicate(ScalarFunction.HAS_SUFFIX, true, left, right);
            case HAS_PREFIX_CS -> stringPredicate(ScalarFunction.HAS_PREFIX_CS, false, left, right);
            case NOT_HAS_PREFIX_CS -> stringPredicate(ScalarFunction.HAS_PREFIX_CS, true, left, right);
            case HAS_SUFFIX_CS -> stringPredicate(ScalarFunction.HAS_SUFFIX_CS, false, left, right);
            case NOT_HAS_SUFFIX_CS -> stringPredicate(ScalarFunction.HAS_SUFFIX_CS, true, left, right);
            case CONTAINS -> stringPredicate(ScalarFunction.CONTAINS, false, left, right);
            case NOT_CONTAINS -> stringPredicate(ScalarFunction.CONTAINS, true, left, right);
            case CONTAINS_CS -> stringPredicate(ScalarFunction.CONTAINS_CS, false, left, right);
            case NOT_CONTAINS_CS -> stringPredicate(ScalarFunction.CONTAINS_CS, true, left, right);
            case STARTS_WITH -> stringPredicate(ScalarFunction.STARTS_WITH, false, left, right);
            case NOT_STARTS_WITH -> stringPredicate(ScalarFunction.STARTS_WITH, true, left, right);
            case STARTS_WITH_CS -> stringPredicate(ScalarFunction.STARTS_WITH_CS, false, left, right);
            case NOT_STARTS_WITH_CS -> stringPredicate(ScalarFunction.STARTS_WITH_CS, true, left, right);
            case ENDS_WITH -> stringPredicate(ScalarFunction.ENDS_WITH, false, left, right);
            case NOT_ENDS_WITH -> stringPredicate(ScalarFunction.ENDS_WITH, true, left, right);
            case ENDS_WITH_CS -> stringPredicate(ScalarFunction.ENDS_WITH_CS, false, left, right);
            case NOT_ENDS_WITH_CS -> stringPredicate(ScalarFunction.ENDS_WITH_CS, true, left, right);
            case MATCHES_REGEX -> stringPredicate(ScalarFunction.REGEX_MATCH, false, left, right);
            case ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULO -> arithmetic(operator, left, right, binary);
        };
    }

    private ScalarExpression compare(
            ScalarFunction function, ScalarExpression left, ScalarExpression right, Expression.Binary binary) {
        ColumnType common = comparisonType(left.type(), right.type());
        if (common == null && left.type() == ColumnType.DATETIME && right.type() == ColumnType.STRING) {
            common = ColumnType.DATETIME;
        }
        if (common == null
                && (function == ScalarFunction.EQUAL || function == ScalarFunction.NOT_EQUAL)
                && isLooseEquality(left.type(), right.type())) {
            common = ColumnType.STRING;
        }
        if (common == null) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    binary.span(),
                    "Cannot compare " + left.type().kqlName() + " with "
                            + right.type().kqlName() + " using '"
                            + binary.operator().text() + "'");
        }
        if (common == ColumnType.DYNAMIC) {
            // two dynamic values compare as their text, as KQL compares dynamic scalars
            common = ColumnType.STRING;
        }
        return call(function, ColumnType.BOOL, convert(left, common), convert(right, common));
    }

    private ScalarExpression stringPredicate(
            ScalarFunction function, boolean negated, ScalarExpression left, ScalarExpression right) {
        ScalarExpression result = call(function, ColumnType.BOOL, asString(left), asString(right));
        if (negated) {
            return call(ScalarFunction.NOT, ColumnType.BOOL, result);
        }
        return result;
    }

    /** Arithmetic types (arithmetic operators, datetime-timespan-arithmetic). */
    private ScalarExpression arithmetic(
            BinaryOperator operator, ScalarExpression left, ScalarExpression right, Expression.Binary binary) {
        ColumnType leftType = left.type();
        ColumnType rightType = right.type();
        if (leftType == ColumnType.DYNAMIC && rightType != ColumnType.DYNAMIC) {
            left = convert(left, numericOr(rightType));
            leftType = left.type();
        } else if (rightType == ColumnType.DYNAMIC && leftType != ColumnType.DYNAMIC) {
            right = convert(right, numericOr(leftType));
            rightType = right.type();
        } else if (leftType == ColumnType.DYNAMIC) {
            left = convert(left, ColumnType.REAL);
            right = convert(right, ColumnType.REAL);
            leftType = ColumnType.REAL;
            rightType = ColumnType.REAL;
        }
        ScalarFunction function = switch (operator) {
            case ADD -> ScalarFunction.ADD;
            case SUBTRACT -> ScalarFunction.SUBTRACT;
            case MULTIPLY -> ScalarFunction.MULTIPLY;
            case DIVIDE -> ScalarFunction.DIVIDE;
            case MODULO -> ScalarFunction.MODULO;
            default -> throw new IllegalStateException("not arithmetic: " + operator);
        };
        ColumnType type = null;
        if (isNumeric(leftType) && isNumeric(rightType)) {
            type = promote(leftType, rightType);
        } else if (leftType == ColumnType.DATETIME
                && rightType == ColumnType.TIMESPAN
                && (operator == BinaryOperator.ADD || operator == BinaryOperator.SUBTRACT)) {
            type = ColumnType.DATETIME;
            if (left instanceof Constant leftConstant
                    && right instanceof Constant rightConstant
                    && leftConstant.value() != null
                    && rightConstant.value() != null) {
                Instant instant = (Instant) leftConstant.value();
                Duration duration = (Duration) rightConstant.value();
                if (operator == BinaryOperator.ADD) {
                    return new Constant(ColumnType.DATETIME, instant.plus(duration));
                }
                return new Constant(ColumnType.DATETIME, instant.minus(duration));
            }
        } else if (leftType == ColumnType.TIMESPAN
                && rightType == ColumnType.DATETIME
                && operator == BinaryOperator.ADD) {
            return arithmetic(operator, right, left, binary);
        } else if (leftType == ColumnType.DATETIME
                && rightType == ColumnType.DATETIME
                && operator == BinaryOperator.SUBTRACT) {
            type = ColumnType.TIMESPAN;
        } else if (leftType == ColumnType.TIMESPAN
                && rightType == ColumnType.TIMESPAN
                && (operator == BinaryOperator.ADD || operator == BinaryOperator.SUBTRACT)) {
            type = ColumnType.TIMESPAN;
        } else if (leftType == ColumnType.TIMESPAN
                && rightType == ColumnType.TIMESPAN
                && operator == BinaryOperator.DIVIDE) {
            // a timespan over a timespan is their real ratio, 1d / 1h == 24 (datetime-timespan-arithmetic)
            type = ColumnType.REAL;
        } else if (leftType == ColumnType.TIMESPAN
                && isNumeric(rightType)
                && (operator == BinaryOperator.MULTIPLY || operator == BinaryOperator.DIVIDE)) {
            type = ColumnType.TIMESPAN;
        } else if (isNumeric(leftType) && rightType == ColumnType.TIMESPAN && operator == BinaryOperator.MULTIPLY) {
            return arithmetic(operator, right, left, binary);
        }
        if (type == null) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    binary.span(),
                    "Operator '" + operator.text() + "' cannot be applied to " + leftType.kqlName() + " and "
                            + rightType.kqlName());
        }
        return call(function, type, left, right);
    }

    private static ColumnType numericOr(ColumnType type) {
        if (isNumeric(type) || type == ColumnType.DATETIME || type == ColumnType.TIMESPAN) {
            return type;
        }
        return ColumnType.REAL;
    }

    /** in, !in, in~, !in~, has_any, has_all over a list, a dynamic array constant or a subquery (in-operator). */
    private ScalarExpression in(Expression.In in, RowScope scope) {
        ScalarExpression left = scalar(in.left(), scope);
        boolean ignoreCase = switch (in.operator()) {
            case IN_CASE_INSENSITIVE, NOT_IN_CASE_INSENSITIVE -> true;
            case IN, NOT_IN, HAS_ANY, HAS_ALL -> false;
        };
        boolean negated = switch (in.operator()) {
            case NOT_IN, NOT_IN_CASE_INSENSITIVE -> true;
            case IN, IN_CASE_INSENSITIVE, HAS_ANY, HAS_ALL -> false;
        };
        if (in.values().size() == 1 && isTabular(in.values().get(0))) {
            PlanNode relation = visibleOnly(tabular(in.values().get(0)));
            if (isHasAnyOrAll(in)) {
                return hasTerms(in, left, List.of(valuesOfFirstColumn(in, relation)));
            }
            if (relation.columns().isEmpty()) {
                throw error(DiagnosticCode.EXPECTED_TABULAR, in.values().get(0).span());
            }
            ColumnType type = relation.columns().get(0).type();
            if (type == ColumnType.DYNAMIC || isLooseEquality(left.type(), type)) {
                // a dynamic (or loosely equal) column compares by its text, as scalar dynamic values do
                ColumnReference first = reference(relation, 0);
                relation = new PlanNode.Project(
                        relation, List.of(asString(first)), List.of(new PlanColumn(first.name(), ColumnType.STRING)));
                type = ColumnType.STRING;
                left = asString(left);
            }
            ColumnType common = comparisonType(left.type(), type);
            if (common == null || common != type) {
                if (common == null) {
                    throw error(
                            DiagnosticCode.TYPE_MISMATCH,
                            in.span(),
                            "Cannot compare " + left.type().kqlName() + " with a column of " + type.kqlName());
                }
            }
            ScalarExpression test =
                    new ScalarExpression.InRelation(convert(left, type), relation, ignoreCase, ColumnType.BOOL);
            if (negated) {
                return call(ScalarFunction.NOT, ColumnType.BOOL, test);
            }
            return test;
        }
        List<ScalarExpression> values = new ArrayList<>();
        for (Expression value : in.values()) {
            values.addAll(listValues(value, scope));
        }
        if (values.isEmpty()) {
            // nothing is in an empty list
            return Constant.ofBool(negated);
        }
        List<ScalarExpression> arrays = new ArrayList<>();
        for (ScalarExpression value : values) {
            if (value.type() == ColumnType.DYNAMIC) {
                arrays.add(value);
            }
        }
        if (!arrays.isEmpty()) {
            return dynamicIn(in, left, values, arrays, ignoreCase, negated);
        }
        ScalarExpression result;
        switch (in.operator()) {
            case HAS_ANY, HAS_ALL -> {
                List<ScalarExpression> arguments = new ArrayList<>();
                arguments.add(asString(left));
                for (ScalarExpression value : values) {
                    arguments.add(asString(value));
                }
                if (in.operator() == io.vigil.kql.syntax.InOperator.HAS_ANY) {
                    return new Call(ScalarFunction.HAS_ANY, arguments, ColumnType.BOOL);
                }
                List<ScalarExpression> all = new ArrayList<>();
                for (ScalarExpression value : arguments.subList(1, arguments.size())) {
                    all.add(call(ScalarFunction.HAS, ColumnType.BOOL, arguments.get(0), value));
                }
                if (all.size() == 1) {
                    return all.get(0);
                }
                return new Call(ScalarFunction.AND, all, ColumnType.BOOL);
            }
            default -> {
                ColumnType common = left.type();
                if (ignoreCase || common == ColumnType.DYNAMIC) {
                    common = ColumnType.STRING;
                }
                for (ScalarExpression value : values) {
                    if (comparisonType(common, value.type()) == null && isLooseEquality(common, value.type())) {
                        common = ColumnType.STRING;
                    }
                }
                List<ScalarExpression> arguments = new ArrayList<>();
                arguments.add(convert(left, common));
                for (ScalarExpression value : values) {
                    ColumnType type = comparisonType(common, value.type());
                    // a number listed against a string column compares as its text, as == does
                    if (type == null && !isLooseEquality(common, value.type())) {
                        throw error(
                                DiagnosticCode.TYPE_MISMATCH,
                                in.span(),
                                "Cannot compare " + common.kqlName() + " with "
                                        + value.type().kqlName() + " in '"
                                        + in.operator().text() + "'");
                    }
                    arguments.add(convert(value, common));
                }
                ScalarFunction function = ScalarFunction.IN;
                if (ignoreCase) {
                    function = ScalarFunction.IN_IGNORE_CASE;
                }
                result = new Call(function, arguments, ColumnType.BOOL);
            }
        }
        if (negated) {
            return call(ScalarFunction.NOT, ColumnType.BOOL, result);
        }
        return result;
    }

    /**
     * {@code x in (d)} where {@code d} is a dynamic value that is not a literal array (a column, a function
     * parameter, a non-array constant): {@code x} is in it when
     * its text equals an element's (or the value's, for a scalar), as the in operator spreads dynamic
     * arrays (in-operator). Other list values then compare by text too.
     */
    private ScalarExpression dynamicIn(
            Expression.In in,
            ScalarExpression left,
            List<ScalarExpression> values,
            List<ScalarExpression> arrays,
            boolean ignoreCase,
            boolean negated) {
        if (isHasAnyOrAll(in)) {
            return hasTerms(in, left, values);
        }
        ScalarExpression text = asString(left);
        ScalarFunction contains = ScalarFunction.DYNAMIC_CONTAINS;
        ScalarFunction listed = ScalarFunction.IN;
        if (ignoreCase) {
            contains = ScalarFunction.DYNAMIC_CONTAINS_IGNORE_CASE;
            listed = ScalarFunction.IN_IGNORE_CASE;
        }
        List<ScalarExpression> tests = new ArrayList<>();
        List<ScalarExpression> others = new ArrayList<>();
        others.add(text);
        for (ScalarExpression value : values) {
            if (arrays.contains(value)) {
                tests.add(call(contains, ColumnType.BOOL, value, text));
            } else {
                others.add(asString(value));
            }
        }
        if (others.size() > 1) {
            tests.add(new Call(listed, others, ColumnType.BOOL));
        }
        ScalarExpression result = tests.get(0);
        if (tests.size() > 1) {
            result = new Call(ScalarFunction.OR, tests, ColumnType.BOOL);
        }
        if (negated) {
            return call(ScalarFunction.NOT, ColumnType.BOOL, result);
        }
        return result;
    }

    private static boolean isHasAnyOrAll(Expression.In in) {
        return in.operator() == io.vigil.kql.syntax.InOperator.HAS_ANY
                || in.operator() == io.vigil.kql.syntax.InOperator.HAS_ALL;
    }

    /**
     * {@code has_any} / {@code has_all} whose values include dynamic arrays known only at run time (a column, a
     * {@code toscalar(... make_set(...))}, a tabular let's first column): a dynamic value matches by its elements'
     * terms, other values as {@code has} does; has_any is true when one matches, has_all when all do.
     */
    private ScalarExpression hasTerms(Expression.In in, ScalarExpression left, List<ScalarExpression> values) {
        ScalarExpression text = asString(left);
        boolean any = in.operator() == io.vigil.kql.syntax.InOperator.HAS_ANY;
        List<ScalarExpression> tests = new ArrayList<>();
        for (ScalarExpression value : values) {
            if (value.type() == ColumnType.DYNAMIC) {
                tests.add(call(
                        any ? ScalarFunction.HAS_ANY_DYNAMIC : ScalarFunction.HAS_ALL_DYNAMIC,
                        ColumnType.BOOL,
                        text,
                        value));
            } else {
                tests.add(call(ScalarFunction.HAS, ColumnType.BOOL, text, asString(value)));
            }
        }
        if (tests.size() == 1) {
            return tests.get(0);
        }
        return new Call(any ? ScalarFunction.OR : ScalarFunction.AND, tests, ColumnType.BOOL);
    }

    /** A subquery's first column as one dynamic array of its values' text (has-any-operator takes a table's first column). */
    private ScalarExpression valuesOfFirstColumn(Expression.In in, PlanNode relation) {
        if (relation.columns().isEmpty()) {
            throw error(DiagnosticCode.EXPECTED_TABULAR, in.values().get(0).span());
        }
        ScalarExpression first = asString(reference(relation, 0));
        PlanNode.Aggregate list = new PlanNode.Aggregate(
                relation,
                List.of(),
                List.of(new PlanNode.AggregateCall(AggregateFunction.MAKE_LIST, List.of(first), ColumnType.DYNAMIC)),
                List.of(new PlanColumn("values", ColumnType.DYNAMIC)));
        return new ScalarExpression.ScalarSubquery(list, ColumnType.DYNAMIC);
    }

    /** The values one item of an in-list stands for: a dynamic array constant spreads into its elements. */
    private List<ScalarExpression> listValues(Expression value, RowScope scope) {
        Optional<List<ScalarExpression>> elements = dynamicElements(value);
        if (elements.isPresent()) {
            return elements.get();
        }
        if (value instanceof Expression.NameReference name
                && visibleIndex(scope.columns(), name.name()) < 0
                && lets.get(name.name()) instanceof ScalarBinding binding
                && binding.elements().isPresent()) {
            return binding.elements().get();
        }
        // a dynamic value that is not a constant array (a column, a function parameter) is matched at run time
        return List.of(scalar(value, scope));
    }

    /** {@code x between (a .. b)}: inclusive; a timespan upper bound counts from the lower (between-operator). */
    private ScalarExpression between(Expression.Between between, RowScope scope) {
        ScalarExpression value = scalar(between.left(), scope);
        ScalarExpression low = scalar(between.low(), scope);
        ScalarExpression high = scalar(between.high(), scope);
        if (value.type() == ColumnType.DATETIME && high.type() == ColumnType.TIMESPAN) {
            high = arithmetic(
                    BinaryOperator.ADD,
                    low,
                    high,
                    new Expression.Binary(between.span(), BinaryOperator.ADD, between.low(), between.high()));
        }
        Expression.Binary site =
                new Expression.Binary(between.span(), BinaryOperator.GREATER_EQUAL, between.left(), between.low());
        ScalarExpression result = call(
                ScalarFunction.AND,
                ColumnType.BOOL,
                compare(ScalarFunction.GREATER_EQUAL, value, low, site),
                compare(ScalarFunction.LESS_EQUAL, value, high, site));
        if (between.negated()) {
            return call(ScalarFunction.NOT, ColumnType.BOOL, result);
        }
        return result;
    }

    private ScalarExpression member(Expression.MemberAccess member, RowScope scope) {
        if (member.target() instanceof Expression.NameReference name
                && (name.name().equals("$left") || name.name().equals("$right"))) {
            throw error(DiagnosticCode.UNSUPPORTED_FEATURE, member.span(), "$left/$right outside a join condition");
        }
        ScalarExpression target = scalar(member.target(), scope);
        if (target.type() != ColumnType.DYNAMIC) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    member.span(),
                    "Member access needs a dynamic value, got " + target.type().kqlName());
        }
        return call(ScalarFunction.DYNAMIC_MEMBER, ColumnType.DYNAMIC, target, Constant.ofString(member.member()));
    }

    private ScalarExpression element(Expression.ElementAccess element, RowScope scope) {
        ScalarExpression target = scalar(element.target(), scope);
        if (target.type() != ColumnType.DYNAMIC) {
            throw error(
                    DiagnosticCode.TYPE_MISMATCH,
                    element.span(),
                    "Element access needs a dynamic value, got " + target.type().kqlName());
        }
        ScalarExpression index = scalar(element.index(), scope);
        if (index.type() == ColumnType.STRING) {
            return call(ScalarFunction.DYNAMIC_MEMBER, ColumnType.DYNAMIC, target, index);
        }
        if (isNumeric(index.type()) && index.type() != ColumnType.REAL) {
            return call(ScalarFunction.DYNAMIC_ELEMENT, ColumnType.DYNAMIC, target, convert(index, ColumnType.LONG));
        }
        throw error(
                DiagnosticCode.TYPE_MISMATCH,
                element.index().span(),
                "An index is a string or an integer, got " + index.type().kqlName());
    }

    // ---------------------------------------------------------------- functions

    private void arity(Expression.FunctionCall call, int minimum, int maximum) {
        int count = call.arguments().size();
        if (count < minimum || count > maximum) {
            String expected = Integer.toString(minimum);
            if (maximum != minimum) {
                if (maximum == Integer.MAX_VALUE) {
                    expected = minimum + " or more";
                } else {
                    expected = minimum + " to " + maximum;
                }
            }
            throw error(DiagnosticCode.WRONG_ARGUMENT_COUNT, call.span(), call.name(), expected, count);
        }
    }

    private ScalarExpression argument(Expression.FunctionCall call, int index, RowScope scope) {
        return scalar(call.arguments().get(index), scope);
    }

    /** The call with its named arguments ({@code make_set(x, maxSize=500)}) in their parameters' places. */
    private Expression.FunctionCall positionalArguments(Expression.FunctionCall call) {
        if (!NamedArguments.applies(call) || lets.get(call.name()) instanceof FunctionBinding) {
            return call;
        }
        Optional<NamedArguments.Problem> problem = NamedArguments.problem(call);
        if (problem.isPresent()) {
            Span span = problem.get().argument() == null
                    ? call.span()
                    : problem.get().argument().span();
            throw error(DiagnosticCode.UNSUPPORTED_FEATURE, span, problem.get().reason());
        }
        return NamedArguments.positional(call);
    }

    private ScalarExpression function(Expression.FunctionCall original, RowScope scope) {
        Expression.FunctionCall call = positionalArguments(original);
        String name = call.name();
        if (aggregateHook != null && isAggregateName(name) && !(lets.get(name) instanceof FunctionBinding)) {
            var hook = aggregateHook;
            aggregateHook = null;
            try {
                return hook.apply(call);
            } finally {
                aggregateHook = hook;
            }
        }
        switch (name) {
            case "series_stats_dynamic",
                    "series_outliers",
                    "range",
                    "series_fit_line",
                    "series_stats",
                    "series_decompose_anomalies" -> {
                return seriesFunction(call, scope);
            }
            case "ago" -> {
                arity(call, 1, 1);
                ScalarExpression span = argument(call, 0, scope);
                if (span.type() != ColumnType.TIMESPAN) {
                    throw error(DiagnosticCode.TYPE_MISMATCH, call.span(), "ago() takes a timespan");
                }
                return arithmetic(
                        BinaryOperator.SUBTRACT,
                        new Constant(ColumnType.DATETIME, options.now()),
                        span,
                        new Expression.Binary(
                                call.span(),
                                BinaryOperator.SUBTRACT,
                                call,
                                call.arguments().get(0)));
            }
            case "now" -> {
                arity(call, 0, 1);
                Constant now = new Constant(ColumnType.DATETIME, options.now());
                if (call.arguments().isEmpty()) {
                    return now;
                }
                return arithmetic(
                        BinaryOperator.ADD,
                        now,
                        argument(call, 0, scope),
                        new Expression.Binary(
                                call.span(),
                                BinaryOperator.ADD,
                                call,
                                call.arguments().get(0)));
            }
            case "bin", "floor" -> {
                arity(call, 2, 2);
                ScalarExpression value = argument(call, 0, scope);
                ScalarExpression size = argument(call, 1, scope);
                if (value.type() == ColumnType.DYNAMIC) {
                    value = convert(value, ColumnType.REAL);
                }
                boolean valid = (value.type() == ColumnType.DATETIME && size.type() == ColumnType.TIMESPAN)
                        || (value.type() == ColumnType.TIMESPAN && size.type() == ColumnType.TIMESPAN)
                        || (isNumeric(value.type()) && isNumeric(size.type()));
                if (!valid) {
                    throw error(
                            DiagnosticCode.TYPE_MISMATCH,
                            call.span(),
                            "bin() of " + value.type().kqlName() + " by "
                                    + size.type().kqlName());
                }
                ColumnType type = value.type();
                if (isNumeric(type)) {
                    type = promote(type, size.type());
                    value = convert(value, type);
                    size = convert(size, type);
                }
                return call(ScalarFunction.BIN, type, value, size);
            }
            case "startofday" -> {
                arity(call, 1, 1);
                ScalarExpression value = argument(call, 0, scope);
                if (value.type() != ColumnType.DATETIME) {
                    value = convert(value, ColumnType.DATETIME);
                }
                return call(
                        ScalarFunction.BIN,
                        ColumnType.DATETIME,
                        value,
                        new Constant(ColumnType.TIMESPAN, Duration.ofDays(1)));
            }
            case "tostring" -> {
                arity(call, 1, 1);
                return asString(argument(call, 0, scope));
            }
            case "toint" -> {
                arity(call, 1, 1);
                return convert(argument(call, 0, scope), ColumnType.INT);
            }
            case "tolong" -> {
                arity(call, 1, 1);
                return convert(argument(call, 0, scope), ColumnType.LONG);
            }
            case "toreal", "todouble" -> {
                arity(call, 1, 1);
                return convert(argument(call, 0, scope), ColumnType.REAL);
            }
            case "tobool", "toboolean" -> {
                arity(call, 1, 1);
                return convert(argument(call, 0, scope), ColumnType.BOOL);
            }
            case "todatetime" -> {
                arity(call, 1, 1);
                ScalarExpression value = argument(call, 0, scope);
                if (value instanceof Constant constant
                        && constant.value() instanceof String text
                        && constant.type() == ColumnType.STRING) {
                    return new Constant(
                            ColumnType.DATETIME, LiteralValues.datetime(text).orElse(null));
                }
                return convert(value, ColumnType.DATETIME);
            }
            case "totimespan", "totime" -> {
                arity(call, 1, 1);
                ScalarExpression value = argument(call, 0, scope);
                if (value instanceof Constant constant
                        && constant.value() instanceof String text
                        && constant.type() == ColumnType.STRING) {
                    return new Constant(
                            ColumnType.TIMESPAN, LiteralValues.timespan(text).orElse(null));
                }
                return convert(value, ColumnType.TIMESPAN);
            }
            // parsejson and arraylength are the deprecated spellings the corpus still uses
            case "todynamic", "parse_json", "toobject", "parsejson" -> {
                arity(call, 1, 1);
                return convert(argument(call, 0, scope), ColumnType.DYNAMIC);
            }
            case "strcat" -> {
                arity(call, 1, 64);
                List<ScalarExpression> arguments = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    arguments.add(asString(argument(call, index, scope)));
                }
                return new Call(ScalarFunction.CONCAT, arguments, ColumnType.STRING);
            }
            case "strlen" -> {
                arity(call, 1, 1);
                return call(ScalarFunction.LENGTH, ColumnType.LONG, asString(argument(call, 0, scope)));
            }
            case "substring" -> {
                arity(call, 2, 3);
                List<ScalarExpression> arguments = new ArrayList<>();
                arguments.add(asString(argument(call, 0, scope)));
                for (int index = 1; index < call.arguments().size(); index++) {
                    arguments.add(integer(call, index, scope));
                }
                return new Call(ScalarFunction.SUBSTRING, arguments, ColumnType.STRING);
            }
            case "tolower" -> {
                arity(call, 1, 1);
                return call(ScalarFunction.LOWER, ColumnType.STRING, asString(argument(call, 0, scope)));
            }
            case "toupper" -> {
                arity(call, 1, 1);
                return call(ScalarFunction.UPPER, ColumnType.STRING, asString(argument(call, 0, scope)));
            }
            case "iff", "iif" -> {
                arity(call, 3, 3);
                ScalarExpression condition =
                        toBool(argument(call, 0, scope), call.arguments().get(0).span());
                List<ScalarExpression> values =
                        unify(call, List.of(argument(call, 1, scope), argument(call, 2, scope)));
                return call(ScalarFunction.IF, values.get(0).type(), condition, values.get(0), values.get(1));
            }
            case "case" -> {
                arity(call, 3, Integer.MAX_VALUE);
                if (call.arguments().size() % 2 == 0) {
                    throw error(
                            DiagnosticCode.WRONG_ARGUMENT_COUNT,
                            call.span(),
                            name,
                            "an odd number of",
                            call.arguments().size());
                }
                List<ScalarExpression> conditions = new ArrayList<>();
                List<ScalarExpression> values = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    if (index % 2 == 0 && index < call.arguments().size() - 1) {
                        conditions.add(toBool(
                                argument(call, index, scope),
                                call.arguments().get(index).span()));
                    } else {
                        values.add(argument(call, index, scope));
                    }
                }
                values = unify(call, values);
                List<ScalarExpression> arguments = new ArrayList<>();
                for (int index = 0; index < conditions.size(); index++) {
                    arguments.add(conditions.get(index));
                    arguments.add(values.get(index));
                }
                arguments.add(values.get(values.size() - 1));
                return new Call(ScalarFunction.CASE, arguments, values.get(0).type());
            }
            case "coalesce" -> {
                arity(call, 1, 64);
                List<ScalarExpression> values = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    values.add(argument(call, index, scope));
                }
                values = unify(call, values);
                return new Call(ScalarFunction.COALESCE, values, values.get(0).type());
            }
            case "max_of", "min_of" -> {
                // arguments of one type, non-null values before nulls (max-of-function, min-of-function)
                arity(call, 2, 64);
                List<ScalarExpression> values = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    values.add(argument(call, index, scope));
                }
                values = unify(call, values);
                ScalarFunction extreme = ScalarFunction.GREATEST;
                if (name.equals("min_of")) {
                    extreme = ScalarFunction.LEAST;
                }
                return new Call(extreme, values, values.get(0).type());
            }
            case "isempty", "isnotempty" -> {
                arity(call, 1, 1);
                ScalarExpression test = call(ScalarFunction.IS_EMPTY, ColumnType.BOOL, argument(call, 0, scope));
                if (name.equals("isnotempty")) {
                    return call(ScalarFunction.NOT, ColumnType.BOOL, test);
                }
                return test;
            }
            case "isnull", "isnotnull" -> {
                arity(call, 1, 1);
                ScalarExpression test = call(ScalarFunction.IS_NULL, ColumnType.BOOL, argument(call, 0, scope));
                if (name.equals("isnotnull")) {
                    return call(ScalarFunction.NOT, ColumnType.BOOL, test);
                }
                return test;
            }
            case "not" -> {
                arity(call, 1, 1);
                return call(
                        ScalarFunction.NOT,
                        ColumnType.BOOL,
                        toBool(argument(call, 0, scope), call.arguments().get(0).span()));
            }
            case "array_length", "arraylength" -> {
                arity(call, 1, 1);
                return call(
                        ScalarFunction.ARRAY_LENGTH,
                        ColumnType.LONG,
                        convert(argument(call, 0, scope), ColumnType.DYNAMIC));
            }
            case "extract" -> {
                arity(call, 3, 4);
                Optional<ColumnType> target = Optional.empty();
                if (call.arguments().size() == 4) {
                    // extract(regex, group, text, typeof(T)) converts the match (extract-function)
                    if (!(call.arguments().get(3) instanceof Expression.TypeOf typeOf)
                            || typeOf.types().size() != 1) {
                        throw error(
                                DiagnosticCode.EXPECTED_CONSTANT,
                                call.arguments().get(3).span(),
                                "typeof(type)");
                    }
                    target = Optional.of(typeName(typeOf.types().get(0)));
                }
                ScalarExpression pattern = asString(argument(call, 0, scope));
                ScalarExpression group = integer(call, 1, scope);
                if (!(group instanceof Constant)) {
                    throw error(
                            DiagnosticCode.EXPECTED_CONSTANT,
                            call.arguments().get(1).span(),
                            "capture group");
                }
                ScalarExpression match = call(
                        ScalarFunction.REGEX_EXTRACT,
                        ColumnType.STRING,
                        asString(argument(call, 2, scope)),
                        pattern,
                        group);
                if (target.isPresent() && target.get() != ColumnType.STRING) {
                    return convert(match, target.get());
                }
                return match;
            }
            case "split" -> {
                arity(call, 2, 3);
                ScalarExpression parts = call(
                        ScalarFunction.SPLIT,
                        ColumnType.DYNAMIC,
                        asString(argument(call, 0, scope)),
                        asString(argument(call, 1, scope)));
                if (call.arguments().size() == 3) {
                    // split(s, d, i) is an array of the one part, as the split-function page says
                    return call(
                            ScalarFunction.SPLIT_PART,
                            ColumnType.DYNAMIC,
                            asString(argument(call, 0, scope)),
                            asString(argument(call, 1, scope)),
                            integer(call, 2, scope));
                }
                return parts;
            }
            case "replace_string" -> {
                arity(call, 3, 3);
                return call(
                        ScalarFunction.REPLACE,
                        ColumnType.STRING,
                        asString(argument(call, 0, scope)),
                        asString(argument(call, 1, scope)),
                        asString(argument(call, 2, scope)));
            }
            case "round" -> {
                // round(number, precision = 0) (round-function)
                arity(call, 1, 2);
                ScalarExpression precision = Constant.ofLong(0L);
                if (call.arguments().size() == 2) {
                    precision = integer(call, 1, scope);
                }
                return call(ScalarFunction.ROUND, ColumnType.REAL, number(call, 0, scope), precision);
            }
            case "abs" -> {
                arity(call, 1, 1);
                ScalarExpression value = argument(call, 0, scope);
                if (value.type() == ColumnType.DYNAMIC) {
                    value = convert(value, ColumnType.REAL);
                }
                if (!isNumeric(value.type()) && value.type() != ColumnType.TIMESPAN) {
                    throw error(DiagnosticCode.TYPE_MISMATCH, call.span(), "abs() takes a number or a timespan");
                }
                return call(ScalarFunction.ABS, value.type(), value);
            }
            case "trim", "trim_start", "trim_end" -> {
                // trim(regex, text) removes leading and trailing matches of the regex (trim-function)
                arity(call, 2, 2);
                ScalarExpression pattern = asString(argument(call, 0, scope));
                ScalarExpression text = asString(argument(call, 1, scope));
                if (!name.equals("trim_end")) {
                    text = call(ScalarFunction.REGEX_TRIM_START, ColumnType.STRING, text, pattern);
                }
                if (!name.equals("trim_start")) {
                    text = call(ScalarFunction.REGEX_TRIM_END, ColumnType.STRING, text, pattern);
                }
                return text;
            }
            case "replace", "replace_regex" -> {
                // replace(regex, rewrite, text) is the older spelling of replace_regex(text, regex, rewrite)
                arity(call, 3, 3);
                int text = 0;
                int pattern = 1;
                int rewrite = 2;
                if (name.equals("replace")) {
                    text = 2;
                    pattern = 0;
                    rewrite = 1;
                }
                return call(
                        ScalarFunction.REGEX_REPLACE,
                        ColumnType.STRING,
                        asString(argument(call, text, scope)),
                        asString(argument(call, pattern, scope)),
                        asString(argument(call, rewrite, scope)));
            }
            case "countof" -> {
                // countof(text, search, kind = "normal" | "regex") (countof-function)
                arity(call, 2, 3);
                ScalarFunction function = ScalarFunction.COUNT_OF;
                if (call.arguments().size() == 3) {
                    String kind = constantString(call, 2, scope, "countof kind");
                    if (kind.equals("regex")) {
                        function = ScalarFunction.REGEX_COUNT;
                    } else if (!kind.equals("normal")) {
                        throw error(
                                DiagnosticCode.INVALID_VALUE,
                                call.arguments().get(2).span(),
                                "countof kind",
                                kind);
                    }
                }
                return call(
                        function,
                        ColumnType.LONG,
                        asString(argument(call, 0, scope)),
                        asString(argument(call, 1, scope)));
            }
            case "datetime_diff" -> {
                // datetime_diff(period, a, b): period boundaries from b to a (datetime-diff-function)
                arity(call, 3, 3);
                String period =
                        constantString(call, 0, scope, "datetime_diff period").toLowerCase(java.util.Locale.ROOT);
                String part = switch (period) {
                    case "year" -> "year";
                    case "quarter" -> "quarter";
                    case "month" -> "month";
                    case "week" -> "week";
                    case "day" -> "day";
                    case "hour" -> "hour";
                    case "minute" -> "minute";
                    case "second" -> "second";
                    case "millisecond" -> "millisecond";
                    case "microsecond" -> "microsecond";
                    default ->
                        throw error(
                                DiagnosticCode.INVALID_VALUE,
                                call.arguments().get(0).span(),
                                "datetime_diff period",
                                period);
                };
                return call(
                        ScalarFunction.DATETIME_DIFF,
                        ColumnType.LONG,
                        Constant.ofString(part),
                        convert(argument(call, 1, scope), ColumnType.DATETIME),
                        convert(argument(call, 2, scope), ColumnType.DATETIME));
            }
            case "endofday" -> {
                // the last tick of the day; timespans here keep microseconds (endofday-function)
                arity(call, 1, 1);
                ScalarExpression day = call(
                        ScalarFunction.BIN,
                        ColumnType.DATETIME,
                        convert(argument(call, 0, scope), ColumnType.DATETIME),
                        new Constant(ColumnType.TIMESPAN, Duration.ofDays(1)));
                return call(
                        ScalarFunction.ADD,
                        ColumnType.DATETIME,
                        day,
                        new Constant(ColumnType.TIMESPAN, Duration.ofDays(1).minusNanos(1000)));
            }
            case "pack", "bag_pack", "pack_dictionary" -> {
                // alternating keys and values (bag-pack-function); keys are strings
                if (call.arguments().size() % 2 != 0) {
                    throw error(
                            DiagnosticCode.WRONG_ARGUMENT_COUNT,
                            call.span(),
                            name,
                            "an even number of",
                            call.arguments().size());
                }
                List<ScalarExpression> arguments = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    ScalarExpression value = argument(call, index, scope);
                    if (index % 2 == 0) {
                        value = asString(value);
                    }
                    arguments.add(value);
                }
                return new Call(ScalarFunction.BAG_PACK, arguments, ColumnType.DYNAMIC);
            }
            case "pack_all" -> {
                return packAll(call, scope);
            }
            case "pack_array" -> {
                arity(call, 1, 64);
                List<ScalarExpression> arguments = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    arguments.add(argument(call, index, scope));
                }
                return new Call(ScalarFunction.ARRAY_PACK, arguments, ColumnType.DYNAMIC);
            }
            // the first column of the first row of a tabular expression (toscalar-function)
            case "toscalar" -> {
                arity(call, 1, 1);
                PlanNode relation = visibleOnly(tabular(call.arguments().get(0)));
                if (relation.columns().isEmpty()) {
                    throw error(
                            DiagnosticCode.EXPECTED_TABULAR,
                            call.arguments().get(0).span());
                }
                return new ScalarExpression.ScalarSubquery(
                        relation, relation.columns().get(0).type());
            }
            case "column_ifexists", "columnifexists" -> {
                // the column when the input has it, else the default (column-ifexists-function)
                arity(call, 2, 2);
                String column = constantString(call, 0, scope, "column name");
                int index = visibleIndex(scope.columns(), column);
                if (index >= 0) {
                    PlanColumn found = scope.columns().get(index);
                    return new ColumnReference(index, found.name(), found.type());
                }
                return argument(call, 1, scope);
            }
            case "ingestion_time" -> {
                arity(call, 0, 0);
                for (int index = 0; index < scope.columns().size(); index++) {
                    PlanColumn column = scope.columns().get(index);
                    if (column.hidden() && column.name().equals(INGESTION_TIME)) {
                        return new ColumnReference(index, column.name(), column.type());
                    }
                }
                // without the hidden column (after project or summarize) the value is null (ingestiontime-function)
                return Constant.nullOf(ColumnType.DATETIME);
            }
            default -> {
                Optional<ScalarExpression> more = new MoreFunctions(access(scope)).bind(call);
                if (more.isPresent()) {
                    return more.get();
                }
                if (isAggregateName(name)) {
                    throw error(DiagnosticCode.AGGREGATE_OUTSIDE_SUMMARIZE, call.span(), name);
                }
                if (lets.get(name) instanceof FunctionBinding function) {
                    return scalarCall(name, function, call.arguments(), scope, call.span());
                }
                if (lets.get(name) instanceof FailedBinding) {
                    throw new BindError();
                }
                if (KnownFunctions.isKnown(name)) {
                    throw error(DiagnosticCode.UNSUPPORTED_FUNCTION, call.span(), name);
                }
                throw error(DiagnosticCode.UNKNOWN_FUNCTION, call.span(), name);
            }
        }
    }

    /** This binder as the function families outside it see it, in one row scope. */
    private BindAccess access(RowScope scope) {
        return new BindAccess() {
            @Override
            public ScalarExpression argument(Expression.FunctionCall call, int index) {
                return Binder.this.argument(call, index, scope);
            }

            @Override
            public ScalarExpression scalar(Expression expression) {
                return Binder.this.scalar(expression, scope);
            }

            @Override
            public void arity(Expression.FunctionCall call, int minimum, int maximum) {
                Binder.this.arity(call, minimum, maximum);
            }

            @Override
            public ScalarExpression convert(ScalarExpression value, ColumnType target) {
                return Binder.this.convert(value, target);
            }

            @Override
            public ScalarExpression asString(ScalarExpression value) {
                return Binder.this.asString(value);
            }

            @Override
            public ColumnType typeName(Clause.TypeReference type) {
                return Binder.this.typeName(type);
            }

            @Override
            public RuntimeException error(DiagnosticCode code, Span span, Object... arguments) {
                return Binder.this.error(code, span, arguments);
            }

            @Override
            public Optional<WindowCollector> windows() {
                return Optional.ofNullable(windows);
            }
        };
    }

    /** Binds the items of an extend or project with window functions collected under them. */
    private PlanNode withWindows(PlanNode input, java.util.function.Function<PlanNode, PlanNode> bind) {
        WindowCollector saved = windows;
        windows = new WindowCollector(input);
        try {
            PlanNode projection = bind.apply(input);
            if (!(projection instanceof PlanNode.Project project) || project.input() != input) {
                return projection;
            }
            PlanNode windowed = windows.wrap();
            if (windowed == input) {
                return projection;
            }
            return new PlanNode.Project(windowed, project.expressions(), project.columns());
        } finally {
            windows = saved;
        }
    }

    private ScalarExpression number(Expression.FunctionCall call, int index, RowScope scope) {
        ScalarExpression value = argument(call, index, scope);
        if (isNumeric(value.type()) || value.type() == ColumnType.DYNAMIC) {
            return convert(value, ColumnType.REAL);
        }
        throw error(
                DiagnosticCode.TYPE_MISMATCH,
                call.arguments().get(index).span(),
                "Expected a number, got " + value.type().kqlName());
    }

    private String constantString(Expression.FunctionCall call, int index, RowScope scope, String what) {
        ScalarExpression value = argument(call, index, scope);
        if (value instanceof Constant constant && constant.value() instanceof String text) {
            return text;
        }
        throw error(
                DiagnosticCode.EXPECTED_CONSTANT, call.arguments().get(index).span(), what);
    }

    private ScalarExpression integer(Expression.FunctionCall call, int index, RowScope scope) {
        ScalarExpression value = argument(call, index, scope);
        if (value.type() == ColumnType.INT || value.type() == ColumnType.LONG) {
            return convert(value, ColumnType.LONG);
        }
        if (value.type() == ColumnType.DYNAMIC) {
            return convert(value, ColumnType.LONG);
        }
        throw error(
                DiagnosticCode.TYPE_MISMATCH,
                call.arguments().get(index).span(),
                "Expected an integer, got " + value.type().kqlName());
    }

    /** Values of one result (iff, case, coalesce): numbers promote; other types must agree. */
    private List<ScalarExpression> unify(Expression.FunctionCall call, List<ScalarExpression> values) {
        ColumnType type = null;
        for (ScalarExpression value : values) {
            boolean typedNull = value instanceof Constant constant
                    && constant.value() == null
                    && constant.type() == ColumnType.DYNAMIC;
            if (typedNull) {
                continue;
            }
            if (type == null) {
                type = value.type();
            } else if (type != value.type()) {
                ColumnType common = comparisonType(type, value.type());
                if (common == null) {
                    throw error(
                            DiagnosticCode.TYPE_MISMATCH,
                            call.span(),
                            "Arguments of " + call.name() + " have different types: " + type.kqlName() + " and "
                                    + value.type().kqlName());
                }
                type = common;
            }
        }
        if (type == null) {
            type = ColumnType.DYNAMIC;
        }
        List<ScalarExpression> converted = new ArrayList<>();
        for (ScalarExpression value : values) {
            converted.add(convert(value, type));
        }
        return converted;
    }
}
