package io.vigil.sql;

import static java.util.Objects.requireNonNull;

import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.WindowFunction;
import io.vigil.spi.ColumnType;
import io.vigil.sql.SqlExpression.SqlBinary;
import io.vigil.sql.SqlExpression.SqlCall;
import io.vigil.sql.SqlExpression.SqlCase;
import io.vigil.sql.SqlExpression.SqlCast;
import io.vigil.sql.SqlExpression.SqlColumn;
import io.vigil.sql.SqlExpression.SqlInQuery;
import io.vigil.sql.SqlExpression.SqlLambda;
import io.vigil.sql.SqlExpression.SqlLiteral;
import io.vigil.sql.SqlExpression.SqlUnary;
import io.vigil.sql.SqlExpression.SqlWhen;
import io.vigil.sql.SqlQuery.SqlCommonTable;
import io.vigil.sql.SqlQuery.SqlDerivedTable;
import io.vigil.sql.SqlQuery.SqlJoin;
import io.vigil.sql.SqlQuery.SqlJoinKind;
import io.vigil.sql.SqlQuery.SqlOrderItem;
import io.vigil.sql.SqlQuery.SqlRelation;
import io.vigil.sql.SqlQuery.SqlSelect;
import io.vigil.sql.SqlQuery.SqlSelectItem;
import io.vigil.sql.SqlQuery.SqlTable;
import io.vigil.sql.SqlQuery.SqlUnionAll;
import io.vigil.sql.SqlQuery.SqlValues;
import io.vigil.sql.SqlQuery.SqlWith;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Renders a plan as SQL for a dialect: one SELECT per plan node over its input as a derived table
 * (table scans are read in place). Column aliases are the plan's names made unique ignoring case,
 * since SQL engines such as DuckDB match identifiers case-insensitively while KQL does not; results
 * are read by position.
 */
public final class PlanToSql {
    private final SqlDialect dialect;
    private final ColumnDemand demand;
    private int aliases;

    /** The common table of each spool rendered so far, by spool id. */
    private final Map<Integer, String> spoolTables = new HashMap<>();

    /** The common tables in the order they were rendered, so that each comes after those it reads. */
    private final List<SqlCommonTable> commonTables = new ArrayList<>();

    private PlanToSql(SqlDialect dialect, ColumnDemand demand) {
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.demand = requireNonNull(demand, "demand is null");
    }

    /** The SQL of a plan; result columns are in the order of {@code plan.columns()}. */
    public static SqlStatement render(PlanNode plan, SqlDialect dialect) {
        PlanToSql renderer = new PlanToSql(dialect, ColumnDemand.of(plan));
        SqlQuery query = renderer.query(plan);
        if (!renderer.commonTables.isEmpty()) {
            query = new SqlWith(renderer.commonTables, query);
        }
        return SqlWriter.write(query, dialect);
    }

    /** A relation in a FROM clause and the SQL expression of each plan column over it. */
    private record Source(SqlRelation relation, List<SqlExpression> columns) {}

    private String nextAlias() {
        return "t" + aliases++;
    }

    /** The plan's column names made unique ignoring case: the second {@code a}/{@code A} becomes {@code A$2}. */
    static List<String> sqlNames(List<PlanColumn> columns) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (PlanColumn column : columns) {
            String name = column.name();
            int occurrence = seen.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum);
            while (occurrence > 1 && seen.containsKey((name + "$" + occurrence).toLowerCase(Locale.ROOT))) {
                occurrence++;
            }
            if (occurrence > 1) {
                name = name + "$" + occurrence;
                seen.put(name.toLowerCase(Locale.ROOT), 1);
            }
            names.add(name);
        }
        return names;
    }

    private Source source(PlanNode node) {
        if (node instanceof PlanNode.TableScan scan) {
            String alias = nextAlias();
            List<SqlExpression> columns = new ArrayList<>();
            for (int index = 0; index < scan.columns().size(); index++) {
                columns.add(dialect.readColumn(
                        SqlColumn.of(alias, scan.physicalNames().get(index)),
                        scan.columns().get(index).type()));
            }
            return new Source(new SqlTable(scan.table(), alias), columns);
        }
        if (node instanceof PlanNode.Spool spool) {
            String table = commonTable(spool);
            String alias = nextAlias();
            List<SqlExpression> columns = new ArrayList<>();
            for (String name : sqlNames(spool.columns())) {
                columns.add(SqlColumn.of(alias, name));
            }
            return new Source(new SqlTable(table, alias), columns);
        }
        SqlQuery query = query(node);
        String alias = nextAlias();
        List<SqlExpression> columns = new ArrayList<>();
        for (String name : sqlNames(node.columns())) {
            columns.add(SqlColumn.of(alias, name));
        }
        return new Source(new SqlDerivedTable(query, alias), columns);
    }

    /**
     * The materialized common table of a spool, rendered at its first reference: its input's select list is
     * every column any reference reads (the spool's demand flows to its input), under the spool's names.
     */
    private String commonTable(PlanNode.Spool spool) {
        String known = spoolTables.get(spool.id());
        if (known != null) {
            return known;
        }
        if (!dialect.supportsMaterializedCommonTables()) {
            throw new UnsupportedOperationException(dialect.name() + " has no materialized common tables");
        }
        SqlQuery body = query(spool.input());
        String name = "$spool" + spool.id();
        spoolTables.put(spool.id(), name);
        commonTables.add(new SqlCommonTable(name, body));
        return name;
    }

    /** The select list of {@code node}: its columns some consumer reads, under their unique names. */
    private List<SqlSelectItem> items(PlanNode node, List<SqlExpression> expressions) {
        List<String> names = sqlNames(node.columns());
        BitSet read = demand.columnsOf(node);
        List<SqlSelectItem> items = new ArrayList<>();
        for (int index = 0; index < expressions.size(); index++) {
            if (read.get(index)) {
                items.add(new SqlSelectItem(expressions.get(index), names.get(index)));
            }
        }
        return items;
    }

    private static SqlSelect select(List<SqlSelectItem> items, SqlRelation from) {
        return SqlSelect.of(items, from);
    }

    SqlQuery query(PlanNode node) {
        return switch (node) {
            case PlanNode.TableScan scan -> {
                Source source = source(scan);
                yield select(items(scan, source.columns()), source.relation());
            }
            case PlanNode.Values values -> values(values);
            case PlanNode.Series series -> series(series);
            case PlanNode.Filter filter -> {
                // consecutive filters keep their input's columns, so they become one WHERE over that input:
                // a thousand '| where' steps are one SELECT, not a thousand nested ones
                List<ScalarExpression> conditions = new ArrayList<>();
                PlanNode input = filter;
                while (input instanceof PlanNode.Filter inner) {
                    conditions.add(inner.condition());
                    input = inner.input();
                }
                Source source = source(input);
                SqlSelect select = select(items(filter, source.columns()), source.relation());
                List<SqlExpression> where = new ArrayList<>();
                for (int index = conditions.size() - 1; index >= 0; index--) {
                    where.add(expression(conditions.get(index), source.columns()));
                }
                SqlExpression condition = where.get(0);
                for (SqlExpression next : where.subList(1, where.size())) {
                    condition = new SqlExpression.SqlBinary("AND", condition, next);
                }
                yield new SqlSelect(
                        List.of(),
                        select.items(),
                        select.from(),
                        Optional.of(condition),
                        List.of(),
                        false,
                        List.of(),
                        OptionalLong.empty());
            }
            case PlanNode.Project project -> {
                Source source = source(project.input());
                List<SqlExpression> expressions = new ArrayList<>();
                for (ScalarExpression expression : project.expressions()) {
                    expressions.add(expression(expression, source.columns()));
                }
                yield select(items(project, expressions), source.relation());
            }
            case PlanNode.Aggregate aggregate -> aggregate(aggregate);
            case PlanNode.Sort sort -> {
                Source source = source(sort.input());
                List<SqlOrderItem> order = new ArrayList<>();
                for (PlanNode.SortKey key : sort.keys()) {
                    order.add(new SqlOrderItem(
                            expression(key.expression(), source.columns()), key.ascending(), key.nullsFirst()));
                }
                yield new SqlSelect(
                        List.of(),
                        items(sort, source.columns()),
                        Optional.of(source.relation()),
                        Optional.empty(),
                        List.of(),
                        false,
                        order,
                        sort.limit());
            }
            case PlanNode.Limit limit -> {
                Source source = source(limit.input());
                yield new SqlSelect(
                        List.of(),
                        items(limit, source.columns()),
                        Optional.of(source.relation()),
                        Optional.empty(),
                        List.of(),
                        false,
                        List.of(),
                        OptionalLong.of(limit.count()));
            }
            case PlanNode.Deduplicate deduplicate -> {
                Source source = source(deduplicate.input());
                List<SqlExpression> keys = new ArrayList<>();
                for (int key : deduplicate.keys()) {
                    keys.add(source.columns().get(key));
                }
                if (!dialect.supportsDistinctOn()) {
                    throw new UnsupportedOperationException(dialect.name() + " has no DISTINCT ON");
                }
                yield new SqlSelect(
                        keys,
                        items(deduplicate, source.columns()),
                        Optional.of(source.relation()),
                        Optional.empty(),
                        List.of(),
                        false,
                        List.of(),
                        OptionalLong.empty());
            }
            case PlanNode.Join join -> join(join);
            case PlanNode.Union union -> {
                List<SqlQuery> parts = new ArrayList<>();
                for (PlanNode input : union.inputs()) {
                    Source source = source(input);
                    parts.add(select(items(union, source.columns()), source.relation()));
                }
                yield new SqlUnionAll(parts);
            }
            case PlanNode.Unnest unnest -> unnest(unnest);
            case PlanNode.Window window -> window(window);
            case PlanNode.Spool spool -> {
                Source source = source(spool);
                yield select(items(spool, source.columns()), source.relation());
            }
        };
    }

    private static final List<SqlOrderItem> NO_ORDER = List.of();

    private static SqlExpression running(SqlExpression function, List<SqlExpression> partition, SqlExpression row) {
        List<SqlOrderItem> order = NO_ORDER;
        if (row != null) {
            order = List.of(new SqlOrderItem(row, true, false));
        }
        return new SqlExpression.SqlWindow(function, partition, order, true);
    }

    private static SqlExpression overRows(SqlExpression function, SqlExpression row) {
        List<SqlOrderItem> order = NO_ORDER;
        if (row != null) {
            order = List.of(new SqlOrderItem(row, true, false));
        }
        return new SqlExpression.SqlWindow(function, List.of(), order, false);
    }

    private static boolean restarts(PlanNode.WindowCall call) {
        return switch (call.function()) {
            case PREVIOUS, NEXT -> false;
            case ROW_NUMBER, ROW_CUMSUM -> call.arguments().size() > 1;
            case ROW_WINDOW_SESSION, ROW_RANK_DENSE, ROW_RANK_MIN -> true;
        };
    }

    /**
     * Window functions over the input order. Functions without restarts are written with an empty
     * {@code OVER ()}, which DuckDB computes as a streaming window in the order the rows arrive, keeping it.
     * Restarting ones (and session windows) need the row order as data: the first level numbers the rows
     * and computes per-row helpers, the second numbers the restart groups, the third computes the functions
     * per group and orders the rows back.
     */
    private SqlQuery window(PlanNode.Window window) {
        Source source = source(window.input());
        List<SqlExpression> expressions = new ArrayList<>(source.columns());
        List<PlanNode.WindowCall> calls = window.functions();
        if (calls.stream().noneMatch(PlanToSql::restarts)) {
            for (PlanNode.WindowCall call : calls) {
                expressions.add(simpleWindow(call, source.columns()));
            }
            return select(items(window, expressions), source.relation());
        }
        List<String> names = new ArrayList<>(sqlNames(window.input().columns()));
        List<SqlSelectItem> first = new ArrayList<>(items(window.input(), source.columns()));
        first.add(new SqlSelectItem(overRows(SqlCall.of("row_number"), null), "$window_row"));
        for (int index = 0; index < calls.size(); index++) {
            PlanNode.WindowCall call = calls.get(index);
            List<SqlExpression> arguments = new ArrayList<>();
            for (ScalarExpression argument : call.arguments()) {
                arguments.add(expression(argument, source.columns()));
            }
            if (!restarts(call)) {
                first.add(new SqlSelectItem(simpleWindow(call, source.columns()), "$window_value" + index));
                continue;
            }
            switch (call.function()) {
                case ROW_NUMBER -> {
                    first.add(new SqlSelectItem(arguments.get(0), "$window_term" + index));
                    first.add(new SqlSelectItem(arguments.get(1), "$window_break" + index));
                }
                case ROW_CUMSUM -> {
                    first.add(new SqlSelectItem(arguments.get(0), "$window_term" + index));
                    first.add(new SqlSelectItem(arguments.get(1), "$window_break" + index));
                }
                case ROW_WINDOW_SESSION -> {
                    // a session starts at the first row, after a restart, or after a gap to the previous row
                    SqlExpression previous = overRows(SqlCall.of("lag", arguments.get(0), SqlLiteral.of(1L)), null);
                    SqlExpression gap =
                            new SqlBinary(">", new SqlBinary("-", arguments.get(0), previous), arguments.get(2));
                    SqlExpression newSession = new SqlBinary("OR", new SqlUnary("IS NULL", previous, true), gap);
                    if (arguments.size() > 3) {
                        newSession = new SqlBinary(
                                "OR", SqlCall.of("coalesce", arguments.get(3), SqlLiteral.FALSE), newSession);
                    }
                    first.add(new SqlSelectItem(arguments.get(0), "$window_term" + index));
                    first.add(new SqlSelectItem(newSession, "$window_break" + index));
                    first.add(new SqlSelectItem(arguments.get(1), "$window_limit" + index));
                }
                case ROW_RANK_DENSE, ROW_RANK_MIN -> {
                    // every row starting a restart group or differing from the row before starts a run
                    SqlExpression firstRow =
                            new SqlBinary("=", overRows(SqlCall.of("row_number"), null), SqlLiteral.of(1L));
                    SqlExpression restart =
                            new SqlBinary("OR", SqlCall.of("coalesce", arguments.get(1), SqlLiteral.FALSE), firstRow);
                    SqlExpression previous = overRows(SqlCall.of("lag", arguments.get(0), SqlLiteral.of(1L)), null);
                    SqlExpression changed = new SqlBinary("IS DISTINCT FROM", arguments.get(0), previous);
                    first.add(new SqlSelectItem(arguments.get(0), "$window_term" + index));
                    first.add(new SqlSelectItem(restart, "$window_break" + index));
                    first.add(new SqlSelectItem(new SqlBinary("OR", restart, changed), "$window_change" + index));
                }
                case PREVIOUS, NEXT -> throw new IllegalStateException("prev and next never restart");
            }
        }
        String level1 = nextAlias();
        SqlExpression row = SqlColumn.of(level1, "$window_row");
        List<SqlSelectItem> second = new ArrayList<>();
        for (SqlSelectItem item : first) {
            second.add(new SqlSelectItem(SqlColumn.of(level1, item.alias()), item.alias()));
        }
        for (int index = 0; index < calls.size(); index++) {
            if (restarts(calls.get(index))) {
                SqlExpression breaks = new SqlCase(
                        List.of(new SqlWhen(SqlColumn.of(level1, "$window_break" + index), SqlLiteral.of(1L))),
                        Optional.of(SqlLiteral.of(0L)));
                second.add(
                        new SqlSelectItem(running(SqlCall.of("sum", breaks), List.of(), row), "$window_group" + index));
            }
            if (calls.get(index).function() == WindowFunction.ROW_RANK_MIN) {
                // the row numbers where the current run and the current restart group began
                second.add(new SqlSelectItem(
                        running(
                                SqlCall.of("max", rowWhere(SqlColumn.of(level1, "$window_change" + index), row)),
                                List.of(),
                                row),
                        "$window_run_start" + index));
                second.add(new SqlSelectItem(
                        running(
                                SqlCall.of("max", rowWhere(SqlColumn.of(level1, "$window_break" + index), row)),
                                List.of(),
                                row),
                        "$window_group_start" + index));
            }
        }
        SqlRelation firstLevel = new SqlDerivedTable(SqlSelect.of(first, source.relation()), level1);
        String level2 = nextAlias();
        SqlRelation secondLevel = new SqlDerivedTable(SqlSelect.of(second, firstLevel), level2);
        List<SqlExpression> output = new ArrayList<>();
        for (String name : names) {
            output.add(SqlColumn.of(level2, name));
        }
        SqlExpression orderedRow = SqlColumn.of(level2, "$window_row");
        for (int index = 0; index < calls.size(); index++) {
            PlanNode.WindowCall call = calls.get(index);
            if (!restarts(call)) {
                output.add(SqlColumn.of(level2, "$window_value" + index));
                continue;
            }
            List<SqlExpression> group = List.of(SqlColumn.of(level2, "$window_group" + index));
            SqlExpression term = SqlColumn.of(level2, "$window_term" + index);
            output.add(
                    switch (call.function()) {
                        case ROW_NUMBER ->
                            new SqlBinary(
                                    "+",
                                    new SqlExpression.SqlWindow(
                                            SqlCall.of("row_number"),
                                            group,
                                            List.of(new SqlOrderItem(orderedRow, true, false)),
                                            false),
                                    new SqlBinary("-", term, SqlLiteral.of(1L)));
                        case ROW_CUMSUM ->
                            new SqlCast(
                                    running(SqlCall.of("sum", term), group, orderedRow),
                                    dialect.typeName(call.type()),
                                    false);
                        case ROW_WINDOW_SESSION -> {
                            // the session start moves to a row that is too far from the current start
                            SqlExpression start = new SqlExpression.SqlColumn(Optional.empty(), "s");
                            SqlExpression value = new SqlExpression.SqlColumn(Optional.empty(), "x");
                            SqlExpression limit = SqlColumn.of(level2, "$window_limit" + index);
                            SqlExpression step = new SqlCase(
                                    List.of(new SqlWhen(
                                            new SqlBinary(">", new SqlBinary("-", value, start), limit), value)),
                                    Optional.of(start));
                            yield SqlCall.of(
                                    "list_reduce",
                                    running(SqlCall.of("list", term), group, orderedRow),
                                    new SqlExpression.SqlLambda(List.of("s", "x"), step));
                        }
                        case ROW_RANK_DENSE -> {
                            SqlExpression change = new SqlCase(
                                    List.of(new SqlWhen(
                                            SqlColumn.of(level2, "$window_change" + index), SqlLiteral.of(1L))),
                                    Optional.of(SqlLiteral.of(0L)));
                            yield new SqlCast(running(SqlCall.of("sum", change), group, orderedRow), "BIGINT", false);
                        }
                        case ROW_RANK_MIN ->
                            new SqlBinary(
                                    "+",
                                    new SqlBinary(
                                            "-",
                                            SqlColumn.of(level2, "$window_run_start" + index),
                                            SqlColumn.of(level2, "$window_group_start" + index)),
                                    SqlLiteral.of(1L));
                        case PREVIOUS, NEXT -> throw new IllegalStateException("prev and next never restart");
                    });
        }
        return new SqlSelect(
                List.of(),
                items(window, output),
                Optional.of(secondLevel),
                Optional.empty(),
                List.of(),
                false,
                List.of(new SqlOrderItem(orderedRow, true, false)),
                OptionalLong.empty());
    }

    /** The row number where a condition holds, else null: the input of a running max finding where a run began. */
    private static SqlExpression rowWhere(SqlExpression condition, SqlExpression row) {
        return new SqlCase(List.of(new SqlWhen(condition, row)), Optional.empty());
    }

    /** prev, next, row_number and row_cumsum without restarts, over the rows as they arrive. */
    private SqlExpression simpleWindow(PlanNode.WindowCall call, List<SqlExpression> columns) {
        List<SqlExpression> arguments = new ArrayList<>();
        for (ScalarExpression argument : call.arguments()) {
            arguments.add(expression(argument, columns));
        }
        return switch (call.function()) {
            case PREVIOUS -> overRows(new SqlCall("lag", arguments), null);
            case NEXT -> overRows(new SqlCall("lead", arguments), null);
            case ROW_NUMBER ->
                new SqlBinary(
                        "+",
                        overRows(SqlCall.of("row_number"), null),
                        new SqlBinary("-", arguments.get(0), SqlLiteral.of(1L)));
            case ROW_CUMSUM ->
                new SqlCast(
                        running(SqlCall.of("sum", arguments.get(0)), List.of(), null),
                        dialect.typeName(call.type()),
                        false);
            case ROW_WINDOW_SESSION, ROW_RANK_DENSE, ROW_RANK_MIN ->
                throw new IllegalStateException(call.function() + " is computed with restart groups");
        };
    }

    /**
     * DuckDB unnests several lists in one SELECT in lockstep, padding the shorter ones with NULL, which is
     * how KQL's mv-expand of several columns behaves; the item index unnests a range of the longest length.
     */
    private SqlQuery unnest(PlanNode.Unnest unnest) {
        Source source = source(unnest.input());
        List<SqlExpression> expressions = new ArrayList<>(source.columns());
        List<SqlExpression> lengths = new ArrayList<>();
        for (int column : unnest.expanded()) {
            SqlExpression elements = elements(source.columns().get(column), unnest.bagExpansion());
            if (unnest.limit().isPresent()) {
                elements = SqlCall.of(
                        "list_slice",
                        elements,
                        SqlLiteral.of(1),
                        SqlLiteral.of(unnest.limit().getAsLong()));
            }
            lengths.add(SqlCall.of("len", elements));
            expressions.set(column, SqlCall.of("unnest", elements));
        }
        if (unnest.withItemIndex().isPresent()) {
            SqlExpression longest = lengths.get(0);
            if (lengths.size() > 1) {
                longest = new SqlCall("greatest", lengths);
            }
            expressions.add(SqlCall.of("unnest", SqlCall.of("range", longest)));
        }
        return select(items(unnest, expressions), source.relation());
    }

    /** The range operator's rows from the dialect's series table function, generated as DuckDB reads them. */
    private SqlQuery series(PlanNode.Series series) {
        SqlDialect.SqlSeries sql = dialect.series(
                expression(series.start(), List.of()),
                expression(series.stop(), List.of()),
                expression(series.step(), List.of()),
                series.column().type());
        String alias = nextAlias();
        SqlExpression element = sql.element().apply(SqlColumn.of(alias, "value"));
        return select(
                items(series, List.of(element)), new SqlQuery.SqlTableFunction(sql.table(), alias, List.of("value")));
    }

    /**
     * The list of rows one dynamic value expands into (mv-expand-operator, "Returns"): an array's elements, a
     * bag's entries as single-entry bags or [key, value] arrays, and for null or any other value one row holding
     * it. A JSON object becomes a DuckDB MAP to list its entries in their order.
     */
    private static SqlExpression elements(SqlExpression value, PlanNode.Unnest.BagExpansion bagExpansion) {
        SqlExpression type = SqlCall.of("json_type", value);
        SqlExpression arrayElements =
                new SqlCast(SqlCall.of("json_extract", value, SqlLiteral.ofString("$[*]")), "JSON[]", false);
        SqlExpression entry = new SqlColumn(Optional.empty(), "bag_entry");
        SqlExpression key = SqlCall.of("struct_extract", entry, SqlLiteral.ofString("key"));
        SqlExpression entryValue = SqlCall.of("struct_extract", entry, SqlLiteral.ofString("value"));
        SqlExpression expandedEntry = SqlCall.of("json_object", key, entryValue);
        if (bagExpansion == PlanNode.Unnest.BagExpansion.ARRAY) {
            expandedEntry = SqlCall.of("json_array", key, entryValue);
        }
        SqlExpression bagElements = SqlCall.of(
                "list_transform",
                SqlCall.of("map_entries", new SqlCast(value, "MAP(VARCHAR, JSON)", false)),
                new SqlLambda("bag_entry", expandedEntry));
        return new SqlCase(
                List.of(
                        new SqlWhen(new SqlBinary("=", type, SqlLiteral.ofString("ARRAY")), arrayElements),
                        new SqlWhen(new SqlBinary("=", type, SqlLiteral.ofString("OBJECT")), bagElements)),
                Optional.of(new SqlCast(SqlCall.of("list_value", value), "JSON[]", false)));
    }

    private SqlQuery values(PlanNode.Values values) {
        List<PlanColumn> columns = values.columns();
        if (values.rows().isEmpty()) {
            List<SqlExpression> nulls = new ArrayList<>();
            for (PlanColumn column : columns) {
                nulls.add(new SqlCast(SqlLiteral.NULL, dialect.typeName(column.type()), false));
            }
            return new SqlSelect(
                    List.of(),
                    items(values, nulls),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    false,
                    List.of(),
                    OptionalLong.of(0));
        }
        if (values.rows().size() == 1) {
            List<SqlExpression> expressions = new ArrayList<>();
            for (ScalarExpression expression : values.rows().get(0)) {
                expressions.add(expression(expression, List.of()));
            }
            return new SqlSelect(
                    List.of(),
                    items(values, expressions),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    false,
                    List.of(),
                    OptionalLong.empty());
        }
        List<List<SqlExpression>> rows = new ArrayList<>();
        for (List<ScalarExpression> row : values.rows()) {
            List<SqlExpression> sqlRow = new ArrayList<>();
            for (int index = 0; index < row.size(); index++) {
                // every value cast to its column type so that VALUES does not guess types from the first row
                sqlRow.add(new SqlCast(
                        expression(row.get(index), List.of()),
                        dialect.typeName(columns.get(index).type()),
                        false));
            }
            rows.add(sqlRow);
        }
        String alias = nextAlias();
        List<String> names = sqlNames(columns);
        List<SqlExpression> references = new ArrayList<>();
        for (String name : names) {
            references.add(SqlColumn.of(alias, name));
        }
        return select(items(values, references), new SqlValues(rows, alias, names));
    }

    private SqlQuery aggregate(PlanNode.Aggregate aggregate) {
        Source source = source(aggregate.input());
        List<SqlExpression> expressions = new ArrayList<>();
        List<SqlExpression> groupBy = new ArrayList<>();
        for (int index = 0; index < aggregate.groupKeys().size(); index++) {
            expressions.add(expression(aggregate.groupKeys().get(index), source.columns()));
            groupBy.add(SqlLiteral.of(index + 1));
        }
        if (!dialect.supportsGroupByOrdinal()) {
            groupBy = List.copyOf(expressions);
        }
        for (PlanNode.AggregateCall call : aggregate.aggregates()) {
            List<SqlExpression> arguments = new ArrayList<>();
            List<ColumnType> types = new ArrayList<>();
            for (ScalarExpression argument : call.arguments()) {
                arguments.add(expression(argument, source.columns()));
                types.add(argument.type());
            }
            expressions.add(dialect.aggregate(call.function(), arguments, types, call.type()));
        }
        return new SqlSelect(
                List.of(),
                items(aggregate, expressions),
                Optional.of(source.relation()),
                Optional.empty(),
                groupBy,
                !groupBy.isEmpty(),
                List.of(),
                OptionalLong.empty());
    }

    private SqlQuery join(PlanNode.Join join) {
        Source left = source(join.left());
        Source right = source(join.right());
        List<SqlExpression> both = new ArrayList<>(left.columns());
        both.addAll(right.columns());
        SqlExpression condition = expression(join.condition(), both);
        SqlJoinKind kind = switch (join.kind()) {
            case INNER -> SqlJoinKind.INNER;
            case LEFT_OUTER -> SqlJoinKind.LEFT;
            case RIGHT_OUTER -> SqlJoinKind.RIGHT;
            case FULL_OUTER -> SqlJoinKind.FULL;
            case LEFT_SEMI -> SqlJoinKind.SEMI;
            case LEFT_ANTI -> SqlJoinKind.ANTI;
        };
        List<SqlExpression> output = both;
        if (kind == SqlJoinKind.SEMI || kind == SqlJoinKind.ANTI) {
            if (!dialect.supportsSemiAndAntiJoin()) {
                throw new UnsupportedOperationException(dialect.name() + " has no SEMI/ANTI JOIN");
            }
            output = left.columns();
        }
        return select(items(join, output), new SqlJoin(kind, left.relation(), right.relation(), condition));
    }

    private SqlExpression expression(ScalarExpression expression, List<SqlExpression> columns) {
        return switch (expression) {
            case ScalarExpression.ColumnReference reference -> columns.get(reference.index());
            case ScalarExpression.Constant constant -> dialect.constant(constant.type(), constant.value());
            case ScalarExpression.Call call -> {
                List<SqlExpression> arguments = new ArrayList<>();
                List<ColumnType> types = new ArrayList<>();
                for (ScalarExpression argument : call.arguments()) {
                    arguments.add(expression(argument, columns));
                    types.add(argument.type());
                }
                yield dialect.call(call.function(), arguments, types, call.type());
            }
            case ScalarExpression.ScalarSubquery subquery -> {
                Source source = source(subquery.relation());
                yield new SqlExpression.SqlScalarQuery(new SqlSelect(
                        List.of(),
                        List.of(new SqlSelectItem(source.columns().get(0), "value")),
                        Optional.of(source.relation()),
                        Optional.empty(),
                        List.of(),
                        false,
                        List.of(),
                        OptionalLong.of(1)));
            }
            case ScalarExpression.InRelation in -> {
                Source source = source(in.relation());
                SqlExpression value = expression(in.value(), columns);
                SqlExpression first = source.columns().get(0);
                if (in.ignoreCase()) {
                    value = SqlCall.of("lower", value);
                    first = SqlCall.of("lower", first);
                }
                yield new SqlInQuery(value, select(List.of(new SqlSelectItem(first, "value")), source.relation()));
            }
        };
    }
}
