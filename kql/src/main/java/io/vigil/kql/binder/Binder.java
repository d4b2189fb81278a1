package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.BinaryOperator;
import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.LiteralKind;
import io.vigil.kql.syntax.ParseResult;
import io.vigil.kql.syntax.QueryOperator;
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
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Binds a parsed query to a catalog and lowers it to the plan: resolves tables, columns and let
 * variables, types every expression, names result columns as KQL does, and reports user errors as
 * diagnostics (KQL2xx) with spans. It never throws on user error: a statement that fails to bind
 * stops at its first error, and binding goes on with the next statement.
 *
 * <p>This class is the core: statements, lets and user functions, tables, and the dispatch of tabular
 * operators. The operator families ({@link ProjectOperators}, {@link Aggregations}, {@link JoinOperators},
 * {@link MvOperators}, {@link ParseOperators}, {@link SeriesOperators}, {@link OrderingOperators},
 * {@link LiteralTables}) and the expression families ({@link ScalarBinder}, {@link InOperators},
 * {@link Conversions}, {@link FunctionBinder} with its function families) are classes of their own that share
 * this binder's state.
 */
public final class Binder {
    /** The name of the hidden column that carries {@code ingestion_time()} through the plan. */
    public static final String INGESTION_TIME = "$IngestionTime";

    final String source;
    final QueryCatalog catalog;
    final BindOptions options;
    final List<Diagnostic> diagnostics = new ArrayList<>();
    final Map<String, Binding> lets = new HashMap<>();

    // the operator and expression families; each holds this binder for the state they share (lets, diagnostics)
    final ParseOperators parses = new ParseOperators(this);
    final ProjectOperators projects = new ProjectOperators(this);
    final Aggregations aggregations = new Aggregations(this);
    final JoinOperators joins = new JoinOperators(this);
    final MvOperators mvOperators = new MvOperators(this);
    final SeriesOperators series = new SeriesOperators(this);
    final LiteralTables literalTables = new LiteralTables(this);
    final OrderingOperators ordering = new OrderingOperators(this);
    final ScalarBinder scalars = new ScalarBinder(this);
    final Conversions conversions = new Conversions(this);
    final InOperators ins = new InOperators(this);
    final FunctionBinder functions = new FunctionBinder(this);

    /** A let variable: a tabular value, a scalar value, a user-defined function, or a let that failed. */
    sealed interface Binding {}

    record TabularBinding(PlanNode plan) implements Binding {}

    /** A scalar; {@code elements} holds the values of a constant dynamic array, for {@code in}. */
    record ScalarBinding(ScalarExpression value, Optional<List<ScalarExpression>> elements) implements Binding {}

    /**
     * {@code let f = (params) { body }}: expanded inline at every call site, in the lets visible where it
     * was declared ({@code closure}) plus its parameters, as lexical scoping asks (let-statement).
     */
    record FunctionBinding(Expression.FunctionDeclaration declaration, Map<String, Binding> closure, boolean tabular)
            implements Binding {}

    /** A let whose value failed to bind; its diagnostic is already recorded, so uses stop silently. */
    record FailedBinding() implements Binding {}

    /** How deep user functions may call each other before binding gives up (guards expansion blow-up). */
    private static final int MAXIMUM_EXPANSION_DEPTH = 32;

    private int expansionDepth;

    /** The id of the next spool (materialize, as hint.materialized=true); ids are unique within a query. */
    private int nextSpoolId;

    /** The window functions of the extend or project being bound, or null. */
    private WindowCollector windows;

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

    BindError error(DiagnosticCode code, Span span, Object... arguments) {
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
        ScalarExpression scalar = scalars.scalar(value, RowScope.EMPTY);
        lets.put(let.name(), new ScalarBinding(scalar, dynamicElements(value)));
    }

    /** The elements of a constant {@code dynamic([...])}, as typed constants. */
    Optional<List<ScalarExpression>> dynamicElements(Expression value) {
        if (value instanceof Expression.Parenthesized parenthesized) {
            return dynamicElements(parenthesized.expression());
        }
        if (value instanceof Expression.DynamicLiteral literal
                && literal.value() instanceof Expression.DynamicArray array) {
            List<ScalarExpression> elements = new ArrayList<>();
            for (Expression element : array.elements()) {
                elements.add(scalars.scalar(element, RowScope.EMPTY));
            }
            return Optional.of(elements);
        }
        return Optional.empty();
    }

    /** Whether an expression is tabular: a pipeline, a table, a tabular let, or a tabular operator. */
    boolean isTabular(Expression expression) {
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
                                    parameterValue(parameter, scalars.scalar(argument, scope)),
                                    dynamicElements(argument)));
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
                                    parameterValue(parameter, scalars.scalar(defaultValue, RowScope.EMPTY)),
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
                            value = Optional.of(scalars.scalar(expression.expression(), RowScope.EMPTY));
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
            ColumnType declared = conversions.typeName(type);
            if (declared != value.type()
                    && !(value instanceof Constant constant
                            && constant.value() == null
                            && constant.type() != declared)) {
                return conversions.convert(value, declared);
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

    ScalarExpression scalarCall(
            String name, FunctionBinding function, List<Expression> arguments, RowScope scope, Span span) {
        if (function.tabular()) {
            throw error(DiagnosticCode.EXPECTED_SCALAR, span);
        }
        return expand(name, function, arguments, Optional.empty(), scope, span)
                .value()
                .orElseThrow();
    }

    PlanNode visibleOnly(PlanNode plan) {
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

    static ColumnReference reference(PlanNode plan, int index) {
        PlanColumn column = plan.columns().get(index);
        return new ColumnReference(index, column.name(), column.type());
    }

    // ---------------------------------------------------------------- tabular expressions

    PlanNode tabular(Expression expression) {
        return switch (expression) {
            case Expression.Pipe pipe -> {
                PlanNode input = tabular(pipe.source());
                if (pipe.operator() instanceof QueryOperator.UnionOperator union) {
                    // the piped input is a leg too, named by an 'as' that ends it
                    yield joins.union(Optional.of(input), asName(pipe.source()), union);
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
        ScalarExpression name = scalars.scalar(argument, RowScope.EMPTY);
        if (name instanceof Constant constant && constant.value() instanceof String text) {
            return table(text, call.span());
        }
        throw error(DiagnosticCode.EXPECTED_CONSTANT, argument.span(), "table name");
    }

    PlanNode table(String name, Span span) {
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
        // every road to a stored table (a name, table(), union, join, lookup, materialize, a let or function
        // body, search and wildcards) ends here, so a table-level read grant is checked once, at binding
        if (!catalog.mayRead(table.get().schema().name())) {
            throw error(
                    DiagnosticCode.TABLE_ACCESS_DENIED,
                    span,
                    table.get().schema().name());
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
        ScalarExpression condition = ScalarBinder.call(
                ScalarFunction.AND,
                ColumnType.BOOL,
                ScalarBinder.call(
                        ScalarFunction.GREATER_EQUAL,
                        ColumnType.BOOL,
                        timeGenerated,
                        new Constant(ColumnType.DATETIME, range.start())),
                ScalarBinder.call(
                        ScalarFunction.LESS_EQUAL,
                        ColumnType.BOOL,
                        timeGenerated,
                        new Constant(ColumnType.DATETIME, range.end())));
        return new PlanNode.Filter(scan, condition);
    }

    private PlanNode sourceOperator(QueryOperator operator) {
        return switch (operator) {
            case QueryOperator.UnionOperator union -> joins.union(Optional.empty(), Optional.empty(), union);
            case QueryOperator.PrintOperator print -> literalTables.print(print);
            case QueryOperator.DataTableOperator datatable -> literalTables.datatable(datatable);
            case QueryOperator.RangeOperator range -> series.range(range);
            case QueryOperator.SearchOperator search -> joins.search(Optional.empty(), search);
            // a self-hosted SIEM must not fetch what a rule names (externaldata-operator reads blobs and URLs)
            case QueryOperator.ExternalDataOperator external ->
                throw error(DiagnosticCode.NO_OUTBOUND_NETWORK, external.span(), "externaldata");
            default -> throw error(DiagnosticCode.UNSUPPORTED_OPERATOR, operator.span(), operatorName(operator));
        };
    }

    PlanNode operator(PlanNode input, QueryOperator operator) {
        return switch (operator) {
            case QueryOperator.WhereOperator where ->
                new PlanNode.Filter(input, scalars.condition(where.predicate(), new RowScope(input.columns())));
            case QueryOperator.ProjectOperator project ->
                withWindows(input, rows -> projects.project(rows, project.columns()));
            case QueryOperator.ProjectAwayOperator away -> projects.projectAway(input, away.columns());
            case QueryOperator.ProjectKeepOperator keep -> projects.projectKeep(input, keep.columns());
            case QueryOperator.ProjectRenameOperator rename -> projects.projectRename(input, rename.columns());
            case QueryOperator.ProjectReorderOperator reorder -> projects.projectReorder(input, reorder.columns());
            case QueryOperator.ExtendOperator extend ->
                withWindows(input, rows -> projects.extend(rows, extend.columns()));
            case QueryOperator.SummarizeOperator summarize -> aggregations.summarize(input, summarize);
            case QueryOperator.CountOperator count ->
                new PlanNode.Aggregate(
                        input,
                        List.of(),
                        List.of(new PlanNode.AggregateCall(AggregateFunction.COUNT, List.of(), ColumnType.LONG)),
                        List.of(new PlanColumn("Count", ColumnType.LONG)));
            case QueryOperator.TakeOperator take -> new PlanNode.Limit(input, ordering.constantCount(take.count()));
            // rows in random order, the first N of them (sample-operator)
            case QueryOperator.SampleOperator sample ->
                new PlanNode.Sort(
                        input,
                        List.of(new PlanNode.SortKey(
                                new Call(ScalarFunction.RANDOM, List.of(), ColumnType.REAL), true, false)),
                        OptionalLong.of(ordering.constantCount(sample.count())));
            case QueryOperator.TopOperator top ->
                new PlanNode.Sort(
                        input,
                        ordering.sortKeys(input, top.by()),
                        OptionalLong.of(ordering.constantCount(top.count())));
            case QueryOperator.SortOperator sort ->
                new PlanNode.Sort(input, ordering.sortKeys(input, sort.by()), OptionalLong.empty());
            case QueryOperator.DistinctOperator distinct -> projects.distinct(input, distinct.columns());
            case QueryOperator.UnionOperator union -> joins.union(Optional.of(input), Optional.empty(), union);
            case QueryOperator.JoinOperator join -> joins.join(input, join);
            case QueryOperator.LookupOperator lookup -> joins.lookup(input, lookup);
            case QueryOperator.SearchOperator search -> joins.search(Optional.of(input), search);
            case QueryOperator.MvExpandOperator expand -> mvOperators.mvExpand(input, expand);
            case QueryOperator.MvApplyOperator apply -> mvOperators.mvApply(input, apply);
            case QueryOperator.MakeSeriesOperator makeSeries -> series.makeSeries(input, makeSeries);
            case QueryOperator.GetSchemaOperator getSchema -> literalTables.getSchema(input);
            case QueryOperator.EvaluateOperator evaluate -> evaluate(input, evaluate);
            case QueryOperator.InvokeOperator invoke -> invoke(input, invoke);
            case QueryOperator.ParseOperator parse ->
                parses.parse(input, parse.parameters(), parse.source(), parse.pattern(), false);
            case QueryOperator.ParseWhereOperator parse ->
                parses.parse(input, parse.parameters(), parse.source(), parse.pattern(), true);
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
                yield withWindows(serialized, rows -> projects.extend(rows, serialize.columns()));
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
    static Optional<String> asName(Expression expression) {
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
                    functions.arity(call, 3, Integer.MAX_VALUE);
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

    /** A property value as written, without the quotes of a string literal. */
    String literalText(Expression value) {
        String text = sourceText(value.span()).strip();
        if (text.length() >= 2
                && (text.startsWith("\"") && text.endsWith("\"") || text.startsWith("'") && text.endsWith("'"))) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    String sourceText(Span span) {
        return source.substring(span.start(), Math.min(span.end(), source.length()));
    }

    /** This binder as the function families outside it see it, in one row scope. */
    BindAccess access(RowScope scope) {
        return new BindAccess() {
            @Override
            public ScalarExpression argument(Expression.FunctionCall call, int index) {
                return functions.argument(call, index, scope);
            }

            @Override
            public ScalarExpression scalar(Expression expression) {
                return scalars.scalar(expression, scope);
            }

            @Override
            public void arity(Expression.FunctionCall call, int minimum, int maximum) {
                functions.arity(call, minimum, maximum);
            }

            @Override
            public ScalarExpression convert(ScalarExpression value, ColumnType target) {
                return conversions.convert(value, target);
            }

            @Override
            public ScalarExpression asString(ScalarExpression value) {
                return conversions.asString(value);
            }

            @Override
            public ColumnType typeName(Clause.TypeReference type) {
                return conversions.typeName(type);
            }

            @Override
            public RuntimeException error(DiagnosticCode code, Span span, Object... arguments) {
                return Binder.this.error(code, span, arguments);
            }

            @Override
            public Optional<WindowCollector> windows() {
                return Optional.ofNullable(windows);
            }

            @Override
            public ScalarExpression number(Expression.FunctionCall call, int index) {
                return functions.number(call, index, scope);
            }

            @Override
            public ScalarExpression integer(Expression.FunctionCall call, int index) {
                return functions.integer(call, index, scope);
            }

            @Override
            public String constantString(Expression.FunctionCall call, int index, String what) {
                return functions.constantString(call, index, scope, what);
            }

            @Override
            public List<ScalarExpression> unify(Expression.FunctionCall call, List<ScalarExpression> values) {
                return functions.unify(call, values);
            }

            @Override
            public ScalarExpression toBool(ScalarExpression value, Span span) {
                return scalars.toBool(value, span);
            }

            @Override
            public ScalarExpression arithmetic(
                    BinaryOperator operator,
                    ScalarExpression left,
                    ScalarExpression right,
                    Expression.Binary expression) {
                return scalars.arithmetic(operator, left, right, expression);
            }

            @Override
            public Instant now() {
                return options.now();
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
}
