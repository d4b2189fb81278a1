package io.vigil.kql.binder;

/** Stops binding of one statement at a user error that is already recorded. */
final class BindError extends RuntimeException {
    BindError() {
        super(null, null, false, false);
    }
}
