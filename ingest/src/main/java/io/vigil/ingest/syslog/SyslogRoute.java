package io.vigil.ingest.syslog;

import io.vigil.formats.cef.CefFormat;
import io.vigil.formats.cef.LeefFormat;
import io.vigil.formats.syslog.SyslogRfc3164Format;
import io.vigil.formats.syslog.SyslogRfc5424Format;

/**
 * The format one syslog message goes to, chosen from its first bytes by {@link SyslogRouter}. CEF and
 * LEEF land in CommonSecurityLog, the syslog formats in Syslog.
 */
enum SyslogRoute {
    RFC3164(SyslogRfc3164Format.NAME),
    RFC5424(SyslogRfc5424Format.NAME),
    CEF(CefFormat.NAME),
    LEEF(LeefFormat.NAME);

    private final String format;

    SyslogRoute(String format) {
        this.format = format;
    }

    /** The format's name, the {@code format} label of the listener's metrics. */
    String format() {
        return format;
    }
}
