package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

/** Stops the conversion of one rule; the converter reports its {@link SigmaError}. */
final class SigmaConversionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SigmaError error;

    SigmaConversionException(SigmaError.Code code, String message) {
        super(message);
        this.error = new SigmaError(requireNonNull(code, "code is null"), message);
    }

    SigmaError error() {
        return error;
    }
}
