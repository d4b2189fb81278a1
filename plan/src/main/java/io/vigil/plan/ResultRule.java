package io.vigil.plan;

/** How a function's result type follows from its declaration and arguments. */
public enum ResultRule {
    /** Always the declared type. */
    FIXED,
    /** The type of the first argument. */
    FIRST_ARGUMENT,
    /** The type of the second argument ({@code iff(cond, then, else)}). */
    SECOND_ARGUMENT,
    /** The common type of the arguments (numeric promotion int → long → real). */
    COMMON
}
