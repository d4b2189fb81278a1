package io.vigil.formats.syslog;

/**
 * Syslog severities by code (RFC 5424 §6.2.1, table 2), named as Azure Monitor writes them in the
 * {@code Syslog.SeverityLevel} column (emerg, alert, crit, err, warning, notice, info, debug).
 */
public enum Severity {
    EMERGENCY("emerg"),
    ALERT("alert"),
    CRITICAL("crit"),
    ERROR("err"),
    WARNING("warning"),
    NOTICE("notice"),
    INFORMATIONAL("info"),
    DEBUG("debug");

    private static final Severity[] BY_CODE = values();

    private final String azureName;

    Severity(String azureName) {
        this.azureName = azureName;
    }

    public String azureName() {
        return azureName;
    }

    public int code() {
        return ordinal();
    }

    /** The severity with numeric {@code code} (0..7). */
    public static Severity ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("severity code out of range: " + code);
        }
        return BY_CODE[code];
    }
}
