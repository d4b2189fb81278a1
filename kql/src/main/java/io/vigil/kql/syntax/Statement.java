package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** Statements of a query. source: https://learn.microsoft.com/kusto/query/statements */
public sealed interface Statement extends SyntaxNode {
    /**
     * {@code let name = value}; the value is a scalar or tabular expression or a {@link
     * Expression.FunctionDeclaration}. source: https://learn.microsoft.com/kusto/query/let-statement
     */
    record LetStatement(Span span, String name, Expression value) implements Statement {
        public LetStatement {
            requireNonNull(span, "span is null");
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code set option [= value]}. source: https://learn.microsoft.com/kusto/query/set-statement */
    record SetStatement(Span span, String name, Optional<Expression> value) implements Statement {
        public SetStatement {
            requireNonNull(span, "span is null");
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    /** A tabular expression statement: the query whose result is returned. */
    record ExpressionStatement(Span span, Expression expression) implements Statement {
        public ExpressionStatement {
            requireNonNull(span, "span is null");
            requireNonNull(expression, "expression is null");
        }
    }
}
