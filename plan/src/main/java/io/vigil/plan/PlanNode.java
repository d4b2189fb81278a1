package io.vigil.plan;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The relational plan: immutable nodes whose columns are known. Scalar expressions refer to the
 * columns of a node's input by position (for a {@link Join}, the left columns then the right ones).
 */
public sealed interface PlanNode {
    List<PlanColumn> columns();

    List<PlanNode> inputs();

    /** The rows of a stored table; {@code physicalNames} are the store's column names, one per column. */
    record TableScan(String table, List<PlanColumn> columns, List<String> physicalNames) implements PlanNode {
        public TableScan {
            requireNonNull(table, "table is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            physicalNames = List.copyOf(requireNonNull(physicalNames, "physicalNames is null"));
            if (columns.size() != physicalNames.size()) {
                throw new IllegalArgumentException("one physical name per column");
            }
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of();
        }
    }

    /**
     * The rows {@code start}, {@code start + step}, ... up to {@code stop} inclusive (the range operator), made as
     * they are read: a series of 10^8 rows is never held whole. The bounds refer to no columns.
     */
    record Series(PlanColumn column, ScalarExpression start, ScalarExpression stop, ScalarExpression step)
            implements PlanNode {
        public Series {
            requireNonNull(column, "column is null");
            requireNonNull(start, "start is null");
            requireNonNull(stop, "stop is null");
            requireNonNull(step, "step is null");
        }

        @Override
        public List<PlanColumn> columns() {
            return List.of(column);
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of();
        }
    }

    /** Literal rows ({@code datatable}, {@code print}); expressions refer to no columns. */
    record Values(List<PlanColumn> columns, List<List<ScalarExpression>> rows) implements PlanNode {
        public Values {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            List<List<ScalarExpression>> copies = new ArrayList<>();
            for (List<ScalarExpression> row : requireNonNull(rows, "rows is null")) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException(
                            "row of " + row.size() + " values for " + columns.size() + " columns");
                }
                copies.add(List.copyOf(row));
            }
            rows = List.copyOf(copies);
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of();
        }
    }

    record Filter(PlanNode input, ScalarExpression condition) implements PlanNode {
        public Filter {
            requireNonNull(input, "input is null");
            requireNonNull(condition, "condition is null");
        }

        @Override
        public List<PlanColumn> columns() {
            return input.columns();
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    /** One output column per expression. */
    record Project(PlanNode input, List<ScalarExpression> expressions, List<PlanColumn> columns) implements PlanNode {
        public Project {
            requireNonNull(input, "input is null");
            expressions = List.copyOf(requireNonNull(expressions, "expressions is null"));
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            if (expressions.size() != columns.size()) {
                throw new IllegalArgumentException("one column per expression");
            }
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    /** An aggregate call over the input's columns. */
    record AggregateCall(AggregateFunction function, List<ScalarExpression> arguments, io.vigil.spi.ColumnType type) {
        public AggregateCall {
            requireNonNull(function, "function is null");
            arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
            requireNonNull(type, "type is null");
        }
    }

    /** Group keys then aggregates; without keys one row, even over no input rows. */
    record Aggregate(
            PlanNode input, List<ScalarExpression> groupKeys, List<AggregateCall> aggregates, List<PlanColumn> columns)
            implements PlanNode {
        public Aggregate {
            requireNonNull(input, "input is null");
            groupKeys = List.copyOf(requireNonNull(groupKeys, "groupKeys is null"));
            aggregates = List.copyOf(requireNonNull(aggregates, "aggregates is null"));
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            if (groupKeys.size() + aggregates.size() != columns.size()) {
                throw new IllegalArgumentException("one column per key and aggregate");
            }
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    record SortKey(ScalarExpression expression, boolean ascending, boolean nullsFirst) {
        public SortKey {
            requireNonNull(expression, "expression is null");
        }
    }

    /** Rows ordered by the keys; with a limit, only the first rows ({@code top}). */
    record Sort(PlanNode input, List<SortKey> keys, OptionalLong limit) implements PlanNode {
        public Sort {
            requireNonNull(input, "input is null");
            keys = List.copyOf(requireNonNull(keys, "keys is null"));
            requireNonNull(limit, "limit is null");
        }

        @Override
        public List<PlanColumn> columns() {
            return input.columns();
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    /** At most {@code count} rows, in no particular order. */
    record Limit(PlanNode input, long count) implements PlanNode {
        public Limit {
            requireNonNull(input, "input is null");
            if (count < 0) {
                throw new IllegalArgumentException("negative limit");
            }
        }

        @Override
        public List<PlanColumn> columns() {
            return input.columns();
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    /** One row (any) per distinct combination of the key columns. */
    record Deduplicate(PlanNode input, List<Integer> keys) implements PlanNode {
        public Deduplicate {
            requireNonNull(input, "input is null");
            keys = List.copyOf(requireNonNull(keys, "keys is null"));
        }

        @Override
        public List<PlanColumn> columns() {
            return input.columns();
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    enum JoinKind {
        INNER,
        LEFT_OUTER,
        RIGHT_OUTER,
        FULL_OUTER,
        /** Left rows with a match, once each; only left columns. */
        LEFT_SEMI,
        /** Left rows without a match; only left columns. */
        LEFT_ANTI
    }

    /**
     * A join on a condition over the left columns followed by the right ones. Semi and anti joins keep
     * the left columns only.
     */
    record Join(JoinKind kind, PlanNode left, PlanNode right, ScalarExpression condition, List<PlanColumn> columns)
            implements PlanNode {
        public Join {
            requireNonNull(kind, "kind is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
            requireNonNull(condition, "condition is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(left, right);
        }
    }

    /** All rows of all inputs, which have the columns of this node, by position. */
    record Union(List<PlanNode> inputs, List<PlanColumn> columns) implements PlanNode {
        public Union {
            inputs = List.copyOf(requireNonNull(inputs, "inputs is null"));
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            for (PlanNode input : inputs) {
                if (input.columns().size() != columns.size()) {
                    throw new IllegalArgumentException("union inputs need " + columns.size() + " columns");
                }
            }
        }
    }

    /**
     * One row per element of the dynamic values in {@code columns}, expanded in lockstep: the i-th row
     * holds the i-th element (dynamic) of each value, null where a value is shorter (mv-expand-operator).
     * An array gives its elements, a property bag its entries (see {@link BagExpansion}), null and any other
     * value one element (itself), an empty array or bag none; rows where every value gives none are dropped. With {@code withItemIndex}, a long column
     * of that name holding the 0-based element index is appended.
     */
    record Unnest(
            PlanNode input,
            List<Integer> expanded,
            OptionalLong limit,
            Optional<String> withItemIndex,
            BagExpansion bagExpansion)
            implements PlanNode {
        /**
         * How a property bag expands (mv-expand-operator, "Modes of expansion"): into single-entry bags
         * ({@code kind=bag}, the default) or into {@code [key, value]} arrays ({@code kind=array}).
         */
        public enum BagExpansion {
            BAG,
            ARRAY
        }

        public Unnest {
            requireNonNull(input, "input is null");
            requireNonNull(bagExpansion, "bagExpansion is null");
            expanded = List.copyOf(requireNonNull(expanded, "expanded is null"));
            requireNonNull(limit, "limit is null");
            requireNonNull(withItemIndex, "withItemIndex is null");
            if (expanded.isEmpty()) {
                throw new IllegalArgumentException("nothing to expand");
            }
        }

        public Unnest(PlanNode input, int column, OptionalLong limit) {
            this(input, List.of(column), limit, Optional.empty(), BagExpansion.BAG);
        }

        @Override
        public List<PlanColumn> columns() {
            if (withItemIndex.isEmpty()) {
                return input.columns();
            }
            List<PlanColumn> columns = new ArrayList<>(input.columns());
            columns.add(new PlanColumn(withItemIndex.get(), io.vigil.spi.ColumnType.LONG));
            return List.copyOf(columns);
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    /**
     * The rows of {@code input}, computed once per query however many consumers read them: every node that
     * holds a spool of this {@code id} sees the same rows, also when the input is not deterministic
     * ({@code rand()}, {@code sample}, {@code take} without an order), as KQL's materialize() promises
     * (materialize-function). {@code id} tells apart spools of equal inputs that are evaluated separately.
     */
    record Spool(int id, PlanNode input) implements PlanNode {
        public Spool {
            requireNonNull(input, "input is null");
            if (id < 0) {
                throw new IllegalArgumentException("negative spool id");
            }
        }

        @Override
        public List<PlanColumn> columns() {
            return input.columns();
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }

    /** A window function call over the input's columns. */
    record WindowCall(WindowFunction function, List<ScalarExpression> arguments, io.vigil.spi.ColumnType type) {
        public WindowCall {
            requireNonNull(function, "function is null");
            arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
            requireNonNull(type, "type is null");
        }
    }

    /**
     * The input's columns then one column per window function, computed over the input rows in their
     * order (KQL's serialized row set); the rows keep that order.
     */
    record Window(PlanNode input, List<WindowCall> functions, List<PlanColumn> columns) implements PlanNode {
        public Window {
            requireNonNull(input, "input is null");
            functions = List.copyOf(requireNonNull(functions, "functions is null"));
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            if (input.columns().size() + functions.size() != columns.size()) {
                throw new IllegalArgumentException("the input's columns then one column per window function");
            }
        }

        @Override
        public List<PlanNode> inputs() {
            return List.of(input);
        }
    }
}
