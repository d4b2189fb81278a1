package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Expression;
import io.vigil.plan.ScalarExpression;
import java.util.Optional;

/**
 * A family of scalar functions bound by name. {@link FunctionBinder} asks the families in turn; each answers
 * only for its own names, so {@link #bound} returns null for any other.
 */
abstract class FunctionFamily {
    final BindAccess access;

    FunctionFamily(BindAccess access) {
        this.access = requireNonNull(access, "access is null");
    }

    /** The bound call, or empty when the name is not one of this family's functions. */
    final Optional<ScalarExpression> bind(Expression.FunctionCall call) {
        return Optional.ofNullable(bound(call));
    }

    /** The bound call, or null when the name is not one of this family's functions. */
    abstract ScalarExpression bound(Expression.FunctionCall call);
}
