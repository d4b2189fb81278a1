package io.vigil.spi;

/** Numbered error codes with a category; numbers are stable once released. */
public enum StandardErrorCode {
    INVALID_ARGUMENT(1, ErrorCategory.USER),
    TABLE_NOT_FOUND(2, ErrorCategory.USER),
    UNAUTHENTICATED(3, ErrorCategory.USER),
    FORBIDDEN(4, ErrorCategory.USER),
    INVALID_CONFIGURATION(5, ErrorCategory.USER),
    STORE_FAILURE(100, ErrorCategory.INTERNAL),
    INTERNAL_ERROR(101, ErrorCategory.INTERNAL),
    INGEST_OVERLOADED(200, ErrorCategory.RESOURCE),
    INGEST_CLOSED(201, ErrorCategory.RESOURCE),
    /** A query ran longer than its time limit (the query API's 504, Log Analytics' timeout). */
    QUERY_TIMEOUT(202, ErrorCategory.RESOURCE),
    /** A query its caller cancelled while it ran (a closed request, a stopped rule). */
    QUERY_CANCELLED(203, ErrorCategory.RESOURCE),
    /**
     * A query needed more memory or temporary disk than the store's limits allow (the query API's 400: the same
     * query fails the same way again, so it is not worth a retry).
     */
    QUERY_RESOURCES_EXCEEDED(204, ErrorCategory.RESOURCE),
    EXTERNAL_FAILURE(300, ErrorCategory.EXTERNAL);

    private final int code;
    private final ErrorCategory category;

    StandardErrorCode(int code, ErrorCategory category) {
        this.code = code;
        this.category = category;
    }

    public int code() {
        return code;
    }

    public ErrorCategory category() {
        return category;
    }
}
