package io.vigil.sql;

import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which output columns of each plan node some consumer reads, so that every SELECT lists only
 * those. A KQL table scan exposes all of a table's columns (80 for SigninLogs, each wrapped in
 * KQL's null-to-empty-string rule); without pruning, DuckDB binds and plans every one of them on
 * every query, which costs more than running a selective query.
 *
 * <p>Demand flows from the root (all of its columns are the result) down to the inputs. A node
 * shared by several consumers (a {@code let} used twice) gets the union of their demands. Node
 * kinds without a rule here demand every column of their inputs, which is always correct.
 */
final class ColumnDemand {
    private final Map<PlanNode, BitSet> demand = new IdentityHashMap<>();

    /** The first spool met per id: all spools of one id are one common table, so they share one demand. */
    private final Map<Integer, PlanNode.Spool> spools = new HashMap<>();

    /**
     * Demands not yet passed on to inputs: a work list rather than recursion, so a plan a thousand operators
     * deep ({@code | where} after {@code | where}) needs no deep stack.
     */
    private final Deque<Map.Entry<PlanNode, BitSet>> pending = new ArrayDeque<>();

    private ColumnDemand() {}

    static ColumnDemand of(PlanNode root) {
        ColumnDemand analysis = new ColumnDemand();
        analysis.require(root, all(root));
        // a subquery is rendered on its own with all its columns; a node it shares with the outer query
        // (a let used in both) must render those columns there too, whatever the outer consumers read
        for (PlanNode relation : subqueryRelations(root)) {
            analysis.require(relation, all(relation));
        }
        while (!analysis.pending.isEmpty()) {
            Map.Entry<PlanNode, BitSet> next = analysis.pending.pop();
            analysis.propagate(next.getKey(), next.getValue());
        }
        return analysis;
    }

    /** The columns of {@code node} to render; a node the analysis never reached keeps all. */
    BitSet columnsOf(PlanNode node) {
        BitSet columns = demand.get(canonical(node));
        if (columns == null) {
            return all(node);
        }
        return columns;
    }

    private PlanNode canonical(PlanNode node) {
        if (node instanceof PlanNode.Spool spool) {
            PlanNode.Spool first = spools.computeIfAbsent(spool.id(), id -> spool);
            if (first != spool && !first.input().equals(spool.input())) {
                throw new IllegalStateException("two spools #" + spool.id() + " over different inputs");
            }
            return first;
        }
        return node;
    }

    private void require(PlanNode requested, BitSet columns) {
        PlanNode node = canonical(requested);
        BitSet known = demand.get(node);
        BitSet wanted = (BitSet) columns.clone();
        wanted.or(forced(node));
        if (wanted.isEmpty() && !node.columns().isEmpty()) {
            // a SELECT needs at least one item, even under count()
            wanted.set(0);
        }
        if (known != null) {
            BitSet grown = (BitSet) known.clone();
            grown.or(wanted);
            if (grown.equals(known)) {
                return;
            }
            wanted = grown;
        }
        demand.put(node, wanted);
        pending.push(Map.entry(node, wanted));
    }

    /** Columns a node renders whatever its consumers read, because dropping them changes the rows. */
    private static BitSet forced(PlanNode node) {
        BitSet columns = new BitSet();
        switch (node) {
            case PlanNode.Aggregate aggregate ->
                columns.set(0, aggregate.columns().size()); // GROUP BY ordinals
            case PlanNode.Unnest unnest -> {
                // every expanded column and the item index decide how many rows come out
                unnest.expanded().forEach(columns::set);
                if (unnest.withItemIndex().isPresent()) {
                    columns.set(unnest.input().columns().size());
                }
            }
            default -> {}
        }
        return columns;
    }

    private void propagate(PlanNode node, BitSet wanted) {
        switch (node) {
            case PlanNode.TableScan ignored -> {}
            case PlanNode.Values ignored -> {}
            case PlanNode.Series ignored -> {}
            case PlanNode.Filter filter -> require(filter.input(), with(wanted, filter.condition()));
            case PlanNode.Project project -> {
                BitSet input = new BitSet();
                wanted.stream()
                        .forEach(index -> addReferences(project.expressions().get(index), input));
                require(project.input(), input);
            }
            case PlanNode.Aggregate aggregate -> {
                BitSet input = new BitSet();
                aggregate.groupKeys().forEach(key -> addReferences(key, input));
                aggregate
                        .aggregates()
                        .forEach(call -> call.arguments().forEach(argument -> addReferences(argument, input)));
                require(aggregate.input(), input);
            }
            case PlanNode.Sort sort -> {
                BitSet input = (BitSet) wanted.clone();
                sort.keys().forEach(key -> addReferences(key.expression(), input));
                require(sort.input(), input);
            }
            case PlanNode.Limit limit -> require(limit.input(), wanted);
            case PlanNode.Spool spool -> require(spool.input(), wanted);
            case PlanNode.Deduplicate deduplicate -> {
                BitSet input = (BitSet) wanted.clone();
                deduplicate.keys().forEach(input::set);
                require(deduplicate.input(), input);
            }
            case PlanNode.Unnest unnest ->
                require(unnest.input(), wanted.get(0, unnest.input().columns().size()));
            case PlanNode.Union union -> union.inputs().forEach(input -> require(input, wanted));
            case PlanNode.Join join -> {
                int leftWidth = join.left().columns().size();
                BitSet both = with(wanted, join.condition());
                require(join.left(), both.get(0, leftWidth));
                require(join.right(), both.get(leftWidth, Math.max(leftWidth, both.length())));
            }
            default -> node.inputs().forEach(input -> require(input, all(input)));
        }
    }

    /** The relations of every scalar and {@code in} subquery anywhere in the plan, nested ones included. */
    private static List<PlanNode> subqueryRelations(PlanNode root) {
        List<PlanNode> relations = new ArrayList<>();
        Set<PlanNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<PlanNode> nodes = new ArrayDeque<>();
        nodes.push(root);
        while (!nodes.isEmpty()) {
            PlanNode node = nodes.pop();
            if (!seen.add(node)) {
                continue;
            }
            node.inputs().forEach(nodes::push);
            Deque<ScalarExpression> expressions = new ArrayDeque<>(expressionsOf(node));
            while (!expressions.isEmpty()) {
                switch (expressions.pop()) {
                    case ScalarExpression.Call call -> call.arguments().forEach(expressions::push);
                    case ScalarExpression.InRelation in -> {
                        expressions.push(in.value());
                        relations.add(in.relation());
                        nodes.push(in.relation());
                    }
                    case ScalarExpression.ScalarSubquery subquery -> {
                        relations.add(subquery.relation());
                        nodes.push(subquery.relation());
                    }
                    default -> {}
                }
            }
        }
        return relations;
    }

    private static List<ScalarExpression> expressionsOf(PlanNode node) {
        List<ScalarExpression> expressions = new ArrayList<>();
        switch (node) {
            case PlanNode.Filter filter -> expressions.add(filter.condition());
            case PlanNode.Project project -> expressions.addAll(project.expressions());
            case PlanNode.Aggregate aggregate -> {
                expressions.addAll(aggregate.groupKeys());
                aggregate.aggregates().forEach(call -> expressions.addAll(call.arguments()));
            }
            case PlanNode.Sort sort -> sort.keys().forEach(key -> expressions.add(key.expression()));
            case PlanNode.Join join -> expressions.add(join.condition());
            case PlanNode.Window window -> window.functions().forEach(call -> expressions.addAll(call.arguments()));
            case PlanNode.Values values -> values.rows().forEach(expressions::addAll);
            case PlanNode.Series series -> expressions.addAll(List.of(series.start(), series.stop(), series.step()));
            default -> {}
        }
        return expressions;
    }

    private static BitSet with(BitSet columns, ScalarExpression expression) {
        BitSet result = (BitSet) columns.clone();
        addReferences(expression, result);
        return result;
    }

    private static void addReferences(ScalarExpression expression, BitSet into) {
        // a work list: an or of ten thousand terms is a deep tree
        Deque<ScalarExpression> pending = new ArrayDeque<>();
        pending.push(expression);
        while (!pending.isEmpty()) {
            switch (pending.pop()) {
                case ScalarExpression.ColumnReference reference -> into.set(reference.index());
                case ScalarExpression.Constant ignored -> {}
                case ScalarExpression.Call call -> call.arguments().forEach(pending::push);
                // the subquery is rendered on its own, with all its columns
                case ScalarExpression.InRelation in -> pending.push(in.value());
                case ScalarExpression.ScalarSubquery ignored -> {}
            }
        }
    }

    private static BitSet all(PlanNode node) {
        BitSet columns = new BitSet();
        columns.set(0, node.columns().size());
        return columns;
    }
}
