package io.vigil.spi;

import static java.util.Objects.requireNonNull;

/** An exception that leaves a module, carrying a stable error code and its category. */
public class VigilException extends RuntimeException {
    private final StandardErrorCode errorCode;

    public VigilException(StandardErrorCode errorCode, String message) {
        super(message);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public VigilException(StandardErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public StandardErrorCode errorCode() {
        return errorCode;
    }
}
