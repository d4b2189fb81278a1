package io.vigil.spi;

import java.util.Locale;

/** Why an input was rejected: a bounded set, used as a metric label and stored with the raw input. */
public enum DeadLetterReason {
    INVALID_JSON,
    INVALID_XML,
    INVALID_UTF8,
    BAD_TIMESTAMP,
    UNKNOWN_RECORD_SHAPE,
    UNKNOWN_FORMAT,
    UNKNOWN_TABLE,
    MISSING_FIELD,
    WRONG_TYPE,
    TRUNCATED,
    OVERSIZE,
    EMPTY,
    MALFORMED_LINE,
    STORE_REJECTED,
    /** A forwarding sink's receiver refused the item as invalid, on every one of the sink's attempts. */
    REJECTED_BY_RECEIVER;

    /** The snake_case code that metrics, the dead-letter table and the CLI show. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
