package io.vigil.formats;

import io.vigil.formats.activity.AzureActivityFormat;
import io.vigil.formats.alerts.AzureAlertCommonSchemaFormat;
import io.vigil.formats.alerts.DefenderAlertFormat;
import io.vigil.formats.appinsights.AppInsightsEnvelopeFormat;
import io.vigil.formats.cef.CefFormat;
import io.vigil.formats.cef.LeefFormat;
import io.vigil.formats.entra.EntraAuditFormat;
import io.vigil.formats.entra.EntraSigninFormat;
import io.vigil.formats.nsgflow.NsgFlowFormat;
import io.vigil.formats.resourcelog.AzureResourceLogFormat;
import io.vigil.formats.storage.StorageAnalyticsFormat;
import io.vigil.formats.syslog.SyslogRfc3164Format;
import io.vigil.formats.syslog.SyslogRfc5424Format;
import io.vigil.formats.windows.WindowsEventJsonFormat;
import io.vigil.formats.windows.WindowsEventXmlFormat;
import io.vigil.spi.LogFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of built-in log formats: one explicit entry per format, no classpath scanning. The
 * order breaks detection ties: specific formats come before the general ones they overlap with.
 */
public final class LogFormats {
    private static final List<LogFormat> BUILT_IN = List.of(
            new AzureActivityFormat(),
            new EntraSigninFormat(),
            new EntraAuditFormat(),
            new NsgFlowFormat(),
            new AppInsightsEnvelopeFormat(),
            new DefenderAlertFormat(),
            new AzureAlertCommonSchemaFormat(),
            new AzureResourceLogFormat(),
            new WindowsEventXmlFormat(),
            new WindowsEventJsonFormat(),
            new CefFormat(),
            new LeefFormat(),
            new SyslogRfc5424Format(),
            new SyslogRfc3164Format(),
            new StorageAnalyticsFormat(),
            new JsonTableFormat(),
            new CsvTableFormat());

    private final Map<String, LogFormat> byName;

    private LogFormats(List<LogFormat> formats) {
        Map<String, LogFormat> map = new LinkedHashMap<>();
        for (LogFormat format : formats) {
            if (map.put(format.name(), format) != null) {
                throw new IllegalStateException("duplicate format name " + format.name());
            }
        }
        this.byName = map;
    }

    public static LogFormats builtIn() {
        return new LogFormats(BUILT_IN);
    }

    public List<LogFormat> all() {
        return List.copyOf(byName.values());
    }

    public Optional<LogFormat> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The format most confident that {@code head} is its own, or empty when none scores above zero.
     * Ties go to the format registered first.
     */
    public Optional<LogFormat> detect(byte[] head) {
        LogFormat best = null;
        int bestScore = 0;
        for (LogFormat format : byName.values()) {
            int score = format.detect(head);
            if (score > bestScore) {
                best = format;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }
}
