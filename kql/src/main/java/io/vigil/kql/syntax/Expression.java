package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Scalar and tabular expressions. As in the reference implementation, a pipeline is an expression:
 * {@code T | where x} is a {@link Pipe} whose source is {@code T}, so tabular expressions can appear
 * wherever KQL allows them (let values, function arguments, {@code in (...)}, join operands).
 * source: https://learn.microsoft.com/kusto/query/tabular-expression-statements
 */
public sealed interface Expression extends SyntaxNode {
    /** Unary sign operators; KQL writes logical negation as the function {@code not()}. */
    enum UnaryOperator {
        MINUS("-"),
        PLUS("+");

        private final String text;

        UnaryOperator(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** Inserted where an expression was required but absent; a diagnostic accompanies it. */
    record Missing(Span span) implements Expression {
        public Missing {
            requireNonNull(span, "span is null");
        }
    }

    /** A literal; {@code text} is the source spelling, {@code value} the string value or the content of a typed literal. */
    record Literal(Span span, LiteralKind kind, String text, String value) implements Expression {
        public Literal {
            requireNonNull(span, "span is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(text, "text is null");
            requireNonNull(value, "value is null");
        }
    }

    /** A column, table, variable or {@code $left}/{@code $right}; brackets of {@code ['name']} are removed. */
    record NameReference(Span span, String name) implements Expression {
        public NameReference {
            requireNonNull(span, "span is null");
            requireNonNull(name, "name is null");
        }
    }

    /** A name pattern with {@code *} as in {@code union Security*} or {@code project-away Col*}. */
    record WildcardName(Span span, String pattern) implements Expression {
        public WildcardName {
            requireNonNull(span, "span is null");
            requireNonNull(pattern, "pattern is null");
        }
    }

    /** {@code *} as an argument, e.g. {@code count(*)}, {@code arg_max(x, *)}, {@code distinct *}. */
    record Star(Span span) implements Expression {
        public Star {
            requireNonNull(span, "span is null");
        }
    }

    record Parenthesized(Span span, Expression expression) implements Expression {
        public Parenthesized {
            requireNonNull(span, "span is null");
            requireNonNull(expression, "expression is null");
        }
    }

    record Unary(Span span, UnaryOperator operator, Expression operand) implements Expression {
        public Unary {
            requireNonNull(span, "span is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(operand, "operand is null");
        }
    }

    record Binary(Span span, BinaryOperator operator, Expression left, Expression right) implements Expression {
        public Binary {
            requireNonNull(span, "span is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }
    }

    /** {@code x in (a, b)}, {@code x !in~ (...)}, {@code x has_any (...)}; a single value may be tabular. */
    record In(Span span, InOperator operator, Expression left, List<Expression> values) implements Expression {
        public In {
            requireNonNull(span, "span is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(left, "left is null");
            values = List.copyOf(requireNonNull(values, "values is null"));
        }
    }

    /** {@code x between (low .. high)}. source: https://learn.microsoft.com/kusto/query/between-operator */
    record Between(Span span, boolean negated, Expression left, Expression low, Expression high) implements Expression {
        public Between {
            requireNonNull(span, "span is null");
            requireNonNull(left, "left is null");
            requireNonNull(low, "low is null");
            requireNonNull(high, "high is null");
        }
    }

    /** A call; named arguments are {@link NamedExpression}s. */
    record FunctionCall(Span span, String name, List<Expression> arguments) implements Expression {
        public FunctionCall {
            requireNonNull(span, "span is null");
            requireNonNull(name, "name is null");
            arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
        }
    }

    /** {@code a.b} on dynamic values and {@code $left.x}. */
    record MemberAccess(Span span, Expression target, String member) implements Expression {
        public MemberAccess {
            requireNonNull(span, "span is null");
            requireNonNull(target, "target is null");
            requireNonNull(member, "member is null");
        }
    }

    /** {@code a[0]}, {@code a['b']}. */
    record ElementAccess(Span span, Expression target, Expression index) implements Expression {
        public ElementAccess {
            requireNonNull(span, "span is null");
            requireNonNull(target, "target is null");
            requireNonNull(index, "index is null");
        }
    }

    /** {@code name = value} or {@code (a, b) = value} in project, extend, summarize and arguments. */
    record NamedExpression(Span span, List<String> names, Expression value) implements Expression {
        public NamedExpression {
            requireNonNull(span, "span is null");
            names = List.copyOf(requireNonNull(names, "names is null"));
            requireNonNull(value, "value is null");
        }
    }

    /** {@code dynamic(...)}; the value is a literal, {@link DynamicArray} or {@link DynamicObject}. */
    record DynamicLiteral(Span span, Expression value) implements Expression {
        public DynamicLiteral {
            requireNonNull(span, "span is null");
            requireNonNull(value, "value is null");
        }
    }

    record DynamicArray(Span span, List<Expression> elements) implements Expression {
        public DynamicArray {
            requireNonNull(span, "span is null");
            elements = List.copyOf(requireNonNull(elements, "elements is null"));
        }
    }

    record DynamicObject(Span span, List<Clause.DynamicProperty> properties) implements Expression {
        public DynamicObject {
            requireNonNull(span, "span is null");
            properties = List.copyOf(requireNonNull(properties, "properties is null"));
        }
    }

    /** {@code typeof(string)}. */
    record TypeOf(Span span, List<Clause.TypeReference> types) implements Expression {
        public TypeOf {
            requireNonNull(span, "span is null");
            types = List.copyOf(requireNonNull(types, "types is null"));
        }
    }

    /** The value of {@code let f = (params) { body }}. */
    record FunctionDeclaration(
            Span span, boolean view, List<Clause.FunctionParameter> parameters, Clause.FunctionBody body)
            implements Expression {
        public FunctionDeclaration {
            requireNonNull(span, "span is null");
            parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
            requireNonNull(body, "body is null");
        }
    }

    /** {@code source | operator}. */
    record Pipe(Span span, Expression source, QueryOperator operator) implements Expression {
        public Pipe {
            requireNonNull(span, "span is null");
            requireNonNull(source, "source is null");
            requireNonNull(operator, "operator is null");
        }
    }

    /** A query operator that starts a pipeline: {@code union}, {@code print}, {@code range}, {@code datatable}, or the first operator of a subquery in {@code mv-apply}, {@code facet}, {@code fork}. */
    record OperatorExpression(Span span, QueryOperator operator) implements Expression {
        public OperatorExpression {
            requireNonNull(span, "span is null");
            requireNonNull(operator, "operator is null");
        }
    }
}
