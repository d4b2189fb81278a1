package io.vigil.formats.syslog;

/**
 * Syslog facilities by code (RFC 5424 §6.2.1, table 1), named as Azure Monitor names them in the
 * {@code Syslog.Facility} column and in data collection rules (facilityNames: kern, user, mail, daemon,
 * auth, syslog, lpr, news, uucp, cron, authpriv, ftp, ntp, audit, alert, clock, local0..local7).
 */
public enum Facility {
    KERN("kern"),
    USER("user"),
    MAIL("mail"),
    DAEMON("daemon"),
    AUTH("auth"),
    SYSLOG("syslog"),
    LPR("lpr"),
    NEWS("news"),
    UUCP("uucp"),
    CRON("cron"),
    AUTHPRIV("authpriv"),
    FTP("ftp"),
    NTP("ntp"),
    AUDIT("audit"),
    ALERT("alert"),
    CLOCK("clock"),
    LOCAL0("local0"),
    LOCAL1("local1"),
    LOCAL2("local2"),
    LOCAL3("local3"),
    LOCAL4("local4"),
    LOCAL5("local5"),
    LOCAL6("local6"),
    LOCAL7("local7");

    private static final Facility[] BY_CODE = values();

    private final String azureName;

    Facility(String azureName) {
        this.azureName = azureName;
    }

    public String azureName() {
        return azureName;
    }

    public int code() {
        return ordinal();
    }

    /** The facility with numeric {@code code} (0..23). */
    public static Facility ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("facility code out of range: " + code);
        }
        return BY_CODE[code];
    }
}
