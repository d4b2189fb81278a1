package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** Parts of statements and operators that are neither expressions nor operators. */
public sealed interface Clause extends SyntaxNode {
    /** A scalar type name or a tabular schema. */
    sealed interface TypeExpression extends Clause {}

    /** Elements of a {@code parse} pattern. source: https://learn.microsoft.com/kusto/query/parse-operator */
    sealed interface ParsePatternElement extends Clause {}

    /** The time axis range of {@code make-series}. source: https://learn.microsoft.com/kusto/query/make-series-operator */
    sealed interface MakeSeriesRange extends Clause {}

    /** {@code kind=inner}, {@code hint.strategy=broadcast}, {@code withsource=T}, {@code isfuzzy=true}, render and externaldata properties. */
    record OperatorParameter(Span span, String name, Expression value) implements Clause {
        public OperatorParameter {
            requireNonNull(span, "span is null");
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code x desc nulls last}. */
    record OrderedExpression(
            Span span, Expression expression, Optional<SortDirection> direction, Optional<NullsPosition> nulls)
            implements Clause {
        public OrderedExpression {
            requireNonNull(span, "span is null");
            requireNonNull(expression, "expression is null");
            requireNonNull(direction, "direction is null");
            requireNonNull(nulls, "nulls is null");
        }
    }

    /** A scalar type name such as {@code string}. */
    record TypeReference(Span span, String name) implements TypeExpression {
        public TypeReference {
            requireNonNull(span, "span is null");
            requireNonNull(name, "name is null");
        }
    }

    /** {@code (*)} or {@code (a:string, *)} of a tabular parameter. */
    record TabularSchema(Span span, List<ColumnDeclaration> columns, boolean open) implements TypeExpression {
        public TabularSchema {
            requireNonNull(span, "span is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** {@code name:type}. */
    record ColumnDeclaration(Span span, String name, TypeReference type) implements Clause {
        public ColumnDeclaration {
            requireNonNull(span, "span is null");
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    record FunctionParameter(Span span, String name, TypeExpression type, Optional<Expression> defaultValue)
            implements Clause {
        public FunctionParameter {
            requireNonNull(span, "span is null");
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(defaultValue, "defaultValue is null");
        }
    }

    /** {@code { let ...; expression }}. */
    record FunctionBody(Span span, List<Statement> statements) implements Clause {
        public FunctionBody {
            requireNonNull(span, "span is null");
            statements = List.copyOf(requireNonNull(statements, "statements is null"));
        }
    }

    /** {@code "key": value} inside {@code dynamic({...})}. */
    record DynamicProperty(Span span, String key, Expression value) implements Clause {
        public DynamicProperty {
            requireNonNull(span, "span is null");
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code [name =] expression [to typeof(type)]}. */
    record MvExpandItem(Span span, Expression expression, Optional<TypeReference> toType) implements Clause {
        public MvExpandItem {
            requireNonNull(span, "span is null");
            requireNonNull(expression, "expression is null");
            requireNonNull(toType, "toType is null");
        }
    }

    /** {@code [name =] aggregate [default = value]}. */
    record MakeSeriesAggregate(Span span, Expression aggregate, Optional<Expression> defaultValue) implements Clause {
        public MakeSeriesAggregate {
            requireNonNull(span, "span is null");
            requireNonNull(aggregate, "aggregate is null");
            requireNonNull(defaultValue, "defaultValue is null");
        }
    }

    /** {@code in range(start, stop, step)}. */
    record MakeSeriesInRange(Span span, Expression start, Expression stop, Expression step) implements MakeSeriesRange {
        public MakeSeriesInRange {
            requireNonNull(span, "span is null");
            requireNonNull(start, "start is null");
            requireNonNull(stop, "stop is null");
            requireNonNull(step, "step is null");
        }
    }

    /** {@code [from start] [to end] step step}. */
    record MakeSeriesFromTo(Span span, Optional<Expression> from, Optional<Expression> to, Expression step)
            implements MakeSeriesRange {
        public MakeSeriesFromTo {
            requireNonNull(span, "span is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(step, "step is null");
        }
    }

    /** {@code top-nested [N] of expr [with others = value] by aggregate [asc|desc]}. */
    record TopNestedClause(
            Span span,
            Optional<Expression> count,
            Expression of,
            Optional<Expression> others,
            Expression aggregate,
            Optional<SortDirection> direction)
            implements Clause {
        public TopNestedClause {
            requireNonNull(span, "span is null");
            requireNonNull(count, "count is null");
            requireNonNull(of, "of is null");
            requireNonNull(others, "others is null");
            requireNonNull(aggregate, "aggregate is null");
            requireNonNull(direction, "direction is null");
        }
    }

    record PatternText(Span span, Expression.Literal literal) implements ParsePatternElement {
        public PatternText {
            requireNonNull(span, "span is null");
            requireNonNull(literal, "literal is null");
        }
    }

    record PatternWildcard(Span span) implements ParsePatternElement {
        public PatternWildcard {
            requireNonNull(span, "span is null");
        }
    }

    record PatternColumn(Span span, String name, Optional<TypeReference> type) implements ParsePatternElement {
        public PatternColumn {
            requireNonNull(span, "span is null");
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }
}
