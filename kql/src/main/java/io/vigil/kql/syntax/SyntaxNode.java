package io.vigil.kql.syntax;

/**
 * A node of the immutable KQL syntax tree. Every node knows its source {@link Span}; nodes that the
 * parser inserted for missing input have an empty span and a diagnostic next to them.
 */
public sealed interface SyntaxNode permits Script, Statement, Expression, QueryOperator, Clause {
    Span span();
}
