package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Tabular query operators, the part after {@code |}. Each cites its page under
 * https://learn.microsoft.com/kusto/query/.
 */
public sealed interface QueryOperator extends SyntaxNode {
    /** {@code where} and its synonym {@code filter} (where-operator). */
    record WhereOperator(Span span, Expression predicate) implements QueryOperator {
        public WhereOperator {
            requireNonNull(span, "span is null");
            requireNonNull(predicate, "predicate is null");
        }
    }

    /** project-operator */
    record ProjectOperator(Span span, List<Expression> columns) implements QueryOperator {
        public ProjectOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** project-away-operator */
    record ProjectAwayOperator(Span span, List<Expression> columns) implements QueryOperator {
        public ProjectAwayOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** project-keep-operator */
    record ProjectKeepOperator(Span span, List<Expression> columns) implements QueryOperator {
        public ProjectKeepOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** project-rename-operator: {@code new = old}. */
    record ProjectRenameOperator(Span span, List<Expression> columns) implements QueryOperator {
        public ProjectRenameOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** project-reorder-operator */
    record ProjectReorderOperator(Span span, List<Clause.OrderedExpression> columns) implements QueryOperator {
        public ProjectReorderOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** extend-operator */
    record ExtendOperator(Span span, List<Expression> columns) implements QueryOperator {
        public ExtendOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** summarize-operator */
    record SummarizeOperator(
            Span span, List<Clause.OperatorParameter> parameters, List<Expression> aggregates, List<Expression> groupBy)
            implements QueryOperator {
        public SummarizeOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            aggregates = List.copyOf(requireNonNull(aggregates, "aggregates is null"));
            groupBy = List.copyOf(requireNonNull(groupBy, "groupBy is null"));
        }
    }

    /** count-operator */
    record CountOperator(Span span) implements QueryOperator {
        public CountOperator {
            requireNonNull(span, "span is null");
        }
    }

    /** {@code take} and its synonym {@code limit} (take-operator). */
    record TakeOperator(Span span, Expression count) implements QueryOperator {
        public TakeOperator {
            requireNonNull(span, "span is null");
            requireNonNull(count, "count is null");
        }
    }

    /** top-operator */
    record TopOperator(Span span, Expression count, List<Clause.OrderedExpression> by) implements QueryOperator {
        public TopOperator {
            requireNonNull(span, "span is null");
            requireNonNull(count, "count is null");
            by = List.copyOf(requireNonNull(by, "by is null"));
        }
    }

    /** top-nested-operator */
    record TopNestedOperator(Span span, List<Clause.TopNestedClause> clauses) implements QueryOperator {
        public TopNestedOperator {
            requireNonNull(span, "span is null");
            clauses = List.copyOf(requireNonNull(clauses, "clauses is null"));
        }
    }

    /** {@code sort by} and its synonym {@code order by} (sort-operator). */
    record SortOperator(Span span, List<Clause.OrderedExpression> by) implements QueryOperator {
        public SortOperator {
            requireNonNull(span, "span is null");
            by = List.copyOf(requireNonNull(by, "by is null"));
        }
    }

    /** distinct-operator */
    record DistinctOperator(Span span, List<Expression> columns) implements QueryOperator {
        public DistinctOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** join-operator: {@code on} holds column names and {@code $left.a == $right.b} conditions. */
    record JoinOperator(Span span, List<Clause.OperatorParameter> parameters, Expression right, List<Expression> on)
            implements QueryOperator {
        public JoinOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            requireNonNull(right, "right is null");
            on = List.copyOf(requireNonNull(on, "on is null"));
        }
    }

    /** lookup-operator */
    record LookupOperator(Span span, List<Clause.OperatorParameter> parameters, Expression right, List<Expression> on)
            implements QueryOperator {
        public LookupOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            requireNonNull(right, "right is null");
            on = List.copyOf(requireNonNull(on, "on is null"));
        }
    }

    /** union-operator */
    record UnionOperator(Span span, List<Clause.OperatorParameter> parameters, List<Expression> tables)
            implements QueryOperator {
        public UnionOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            tables = List.copyOf(requireNonNull(tables, "tables is null"));
        }
    }

    /** mv-expand-operator, also spelled {@code mvexpand}. */
    record MvExpandOperator(
            Span span,
            List<Clause.OperatorParameter> parameters,
            List<Clause.MvExpandItem> items,
            Optional<Expression> limit)
            implements QueryOperator {
        public MvExpandOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            items = List.copyOf(requireNonNull(items, "items is null"));
            requireNonNull(limit, "limit is null");
        }
    }

    /** mv-apply-operator: the subquery starts with an operator. */
    record MvApplyOperator(
            Span span,
            List<Clause.OperatorParameter> parameters,
            List<Clause.MvExpandItem> items,
            Optional<Expression> limit,
            Expression subquery)
            implements QueryOperator {
        public MvApplyOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            items = List.copyOf(requireNonNull(items, "items is null"));
            requireNonNull(limit, "limit is null");
            requireNonNull(subquery, "subquery is null");
        }
    }

    /** parse-operator */
    record ParseOperator(
            Span span,
            List<Clause.OperatorParameter> parameters,
            Expression source,
            List<Clause.ParsePatternElement> pattern)
            implements QueryOperator {
        public ParseOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            requireNonNull(source, "source is null");
            pattern = List.copyOf(requireNonNull(pattern, "pattern is null"));
        }
    }

    /** parse-where-operator */
    record ParseWhereOperator(
            Span span,
            List<Clause.OperatorParameter> parameters,
            Expression source,
            List<Clause.ParsePatternElement> pattern)
            implements QueryOperator {
        public ParseWhereOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            requireNonNull(source, "source is null");
            pattern = List.copyOf(requireNonNull(pattern, "pattern is null"));
        }
    }

    /** evaluate-operator; {@code outputSchema} is the optional {@code : (name:type, ...)} after the plugin call. */
    record EvaluateOperator(
            Span span,
            List<Clause.OperatorParameter> parameters,
            Expression plugin,
            Optional<Clause.TabularSchema> outputSchema)
            implements QueryOperator {
        public EvaluateOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            requireNonNull(plugin, "plugin is null");
            requireNonNull(outputSchema, "outputSchema is null");
        }
    }

    /** make-series-operator */
    record MakeSeriesOperator(
            Span span,
            List<Clause.OperatorParameter> parameters,
            List<Clause.MakeSeriesAggregate> aggregates,
            Expression axis,
            Optional<Clause.MakeSeriesRange> range,
            List<Expression> groupBy)
            implements QueryOperator {
        public MakeSeriesOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            aggregates = List.copyOf(requireNonNull(aggregates, "aggregates is null"));
            requireNonNull(axis, "axis is null");
            requireNonNull(range, "range is null");
            groupBy = List.copyOf(requireNonNull(groupBy, "groupBy is null"));
        }
    }

    /** render-operator */
    record RenderOperator(Span span, String chartType, List<Clause.OperatorParameter> properties)
            implements QueryOperator {
        public RenderOperator {
            requireNonNull(span, "span is null");
            requireNonNull(chartType, "chartType is null");
            properties = List.copyOf(requireNonNull(properties, "properties is null"));
        }
    }

    /** as-operator */
    record AsOperator(Span span, List<Clause.OperatorParameter> parameters, String name) implements QueryOperator {
        public AsOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            requireNonNull(name, "name is null");
        }
    }

    /** invoke-operator */
    record InvokeOperator(Span span, Expression function) implements QueryOperator {
        public InvokeOperator {
            requireNonNull(span, "span is null");
            requireNonNull(function, "function is null");
        }
    }

    /** serialize-operator */
    record SerializeOperator(Span span, List<Expression> columns) implements QueryOperator {
        public SerializeOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** search-operator */
    record SearchOperator(
            Span span, List<Clause.OperatorParameter> parameters, List<Expression> tables, Expression predicate)
            implements QueryOperator {
        public SearchOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            tables = List.copyOf(requireNonNull(tables, "tables is null"));
            requireNonNull(predicate, "predicate is null");
        }
    }

    /** find-operator: {@code project} is empty for {@code project-smart} and absent without a project clause. */
    record FindOperator(
            Span span,
            List<Clause.OperatorParameter> parameters,
            List<Expression> tables,
            Expression predicate,
            Optional<List<Expression>> project)
            implements QueryOperator {
        public FindOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            tables = List.copyOf(requireNonNull(tables, "tables is null"));
            requireNonNull(predicate, "predicate is null");
            project = requireNonNull(project, "project is null").map(List::copyOf);
        }
    }

    /** getschema-operator */
    record GetSchemaOperator(Span span) implements QueryOperator {
        public GetSchemaOperator {
            requireNonNull(span, "span is null");
        }
    }

    /** sample-operator */
    record SampleOperator(Span span, Expression count) implements QueryOperator {
        public SampleOperator {
            requireNonNull(span, "span is null");
            requireNonNull(count, "count is null");
        }
    }

    /** sample-distinct-operator */
    record SampleDistinctOperator(Span span, Expression count, Expression column) implements QueryOperator {
        public SampleDistinctOperator {
            requireNonNull(span, "span is null");
            requireNonNull(count, "count is null");
            requireNonNull(column, "column is null");
        }
    }

    /** externaldata-operator */
    record ExternalDataOperator(
            Span span,
            List<Clause.OperatorParameter> parameters,
            List<Clause.ColumnDeclaration> schema,
            List<Expression> uris,
            List<Clause.OperatorParameter> properties)
            implements QueryOperator {
        public ExternalDataOperator {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            schema = List.copyOf(requireNonNull(schema, "schema is null"));
            uris = List.copyOf(requireNonNull(uris, "uris is null"));
            properties = List.copyOf(requireNonNull(properties, "properties is null"));
        }
    }

    /** datatable-operator */
    record DataTableOperator(Span span, List<Clause.ColumnDeclaration> schema, List<Expression> values)
            implements QueryOperator {
        public DataTableOperator {
            requireNonNull(span, "span is null");
            schema = List.copyOf(requireNonNull(schema, "schema is null"));
            values = List.copyOf(requireNonNull(values, "values is null"));
        }
    }

    /** print-operator */
    record PrintOperator(Span span, List<Expression> columns) implements QueryOperator {
        public PrintOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** range-operator */
    record RangeOperator(Span span, String column, Expression from, Expression to, Expression step)
            implements QueryOperator {
        public RangeOperator {
            requireNonNull(span, "span is null");
            requireNonNull(column, "column is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(step, "step is null");
        }
    }

    /** facet-operator */
    record FacetOperator(Span span, List<Expression> columns, Optional<Expression> with) implements QueryOperator {
        public FacetOperator {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            requireNonNull(with, "with is null");
        }
    }

    /** fork-operator: each branch is a subquery, named branches are {@link Expression.NamedExpression}s. */
    record ForkOperator(Span span, List<Expression> branches) implements QueryOperator {
        public ForkOperator {
            requireNonNull(span, "span is null");
            branches = List.copyOf(requireNonNull(branches, "branches is null"));
        }
    }

    /** An unknown or malformed operator skipped up to the next {@code |}; {@code text} is the skipped source. */
    record BadOperator(Span span, String text) implements QueryOperator {
        public BadOperator {
            requireNonNull(span, "span is null");
            requireNonNull(text, "text is null");
        }
    }
}
