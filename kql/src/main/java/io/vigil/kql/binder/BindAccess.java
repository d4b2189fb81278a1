package io.vigil.kql.binder;

import io.vigil.kql.syntax.BinaryOperator;
import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.Span;
import io.vigil.plan.ScalarExpression;
import io.vigil.spi.ColumnType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the function binders outside {@link Binder} may use of it: arguments bound in the current row
 * scope, its conversions, and its diagnostics. Keeps families of functions in their own classes.
 */
interface BindAccess {
    /** The argument at {@code index}, bound in the scope of the call. */
    ScalarExpression argument(Expression.FunctionCall call, int index);

    /** Any expression, bound in the same scope (named plugin arguments, for instance). */
    ScalarExpression scalar(Expression expression);

    /** Checks the argument count; reports KQL204 otherwise. */
    void arity(Expression.FunctionCall call, int minimum, int maximum);

    ScalarExpression convert(ScalarExpression value, ColumnType target);

    ScalarExpression asString(ScalarExpression value);

    ColumnType typeName(Clause.TypeReference type);

    /** Records a diagnostic; the caller throws what it returns to stop binding the statement. */
    RuntimeException error(DiagnosticCode code, Span span, Object... arguments);

    /** The argument at {@code index} as a real number; KQL205 when it is no number. */
    ScalarExpression number(Expression.FunctionCall call, int index);

    /** The argument at {@code index} as a long; KQL205 when it is no integer. */
    ScalarExpression integer(Expression.FunctionCall call, int index);

    /** The argument at {@code index}, which must be a constant string ({@code what} names it in the error). */
    String constantString(Expression.FunctionCall call, int index, String what);

    /** Values of one result (iff, case, coalesce): numbers promote; other types must agree. */
    List<ScalarExpression> unify(Expression.FunctionCall call, List<ScalarExpression> values);

    /** A condition: a bool, or a value KQL reads as one. */
    ScalarExpression toBool(ScalarExpression value, Span span);

    /** {@code left operator right} typed as KQL types arithmetic; {@code expression} spans its diagnostics. */
    ScalarExpression arithmetic(
            BinaryOperator operator, ScalarExpression left, ScalarExpression right, Expression.Binary expression);

    /** The query's {@code now()}, fixed for the whole query. */
    Instant now();

    /** The window functions of the extend or project being bound; empty elsewhere. */
    Optional<WindowCollector> windows();
}
