package io.vigil.kql.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A function of the registry. {@code signature} is empty for an unsupported one; {@code resultType} is a type
 * name or a rule ({@code argument}: the first argument's type, {@code common}: the common type of the values,
 * {@code numeric}: the promoted number type, {@code table}: columns of their own), or {@code -} when unsupported.
 */
public record FunctionEntry(
        String name,
        FunctionKind kind,
        Support support,
        Optional<Signature> signature,
        String resultType,
        ResultNaming naming,
        String description,
        String page) {
    public FunctionEntry {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(support, "support is null");
        requireNonNull(signature, "signature is null");
        requireNonNull(resultType, "resultType is null");
        requireNonNull(naming, "naming is null");
        requireNonNull(description, "description is null");
        requireNonNull(page, "page is null");
        if (support == Support.BOUND && signature.isEmpty()) {
            throw new IllegalArgumentException(name + ": a bound function has a signature");
        }
    }

    public boolean bound() {
        return support == Support.BOUND;
    }

    /** The call as the docs show it: {@code substring(text: string, start: long, [length: long])}. */
    public String signatureText() {
        return signature.map(parameters -> name + parameters.text()).orElse(name + "(…)");
    }
}
