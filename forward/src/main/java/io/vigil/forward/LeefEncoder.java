package io.vigil.forward;

import static java.util.Map.entry;

import io.vigil.spi.Row;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * IBM LEEF 1.0 and 2.0 (IBM QRadar "Log Event Extended Format (LEEF)": event components and predefined
 * attributes): {@code LEEF:1.0|Vendor|Product|Version|EventID|} or, in 2.0, {@code LEEF:2.0|Vendor|
 * Product|Version|EventID|Delimiter|}, then {@code key=value} attributes separated by the delimiter (tab
 * in 1.0; in 2.0 written as {@code xHH} so it survives copy and paste).
 *
 * <p>Escaping: a header field escapes {@code \} and {@code |} with a backslash, as IBM's guide asks for
 * a pipe in a vendor or product name; a line break there becomes a space. LEEF has no escape inside an
 * attribute value, so a value cannot carry the delimiter or a line break: each becomes a space (the one
 * lossy rule; CEF keeps them). {@code =} needs no escape, as QRadar splits at the first one. Lengths: each
 * header field is cut to 255 characters and each value to 4000, the same bound as CEF's widest field.
 *
 * <p>Keys: the CEF keys of the mapping are renamed to LEEF's predefined attributes where one exists
 * ({@link #LEEF_KEYS}), the rest keep their CEF names as custom keys. {@code sev} carries the severity
 * (1-10), {@code devTime} and {@code devTimeFormat} the event time.
 */
public final class LeefEncoder implements Encoder {
    static final int HEADER_LIMIT = 255;
    static final int VALUE_LIMIT = 4000;
    static final String DEVICE_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSZ";

    // IBM "Predefined LEEF event attributes"
    static final Map<String, String> LEEF_KEYS = Map.ofEntries(
            entry("src", "src"),
            entry("dst", "dst"),
            entry("spt", "srcPort"),
            entry("dpt", "dstPort"),
            entry("sourceTranslatedAddress", "srcPostNAT"),
            entry("destinationTranslatedAddress", "dstPostNAT"),
            entry("sourceTranslatedPort", "srcPostNATPort"),
            entry("destinationTranslatedPort", "dstPostNATPort"),
            entry("smac", "srcMAC"),
            entry("dmac", "dstMAC"),
            entry("suser", "usrName"),
            entry("out", "srcBytes"),
            entry("in", "dstBytes"),
            entry("proto", "proto"),
            entry("cat", "cat"),
            entry("shost", "identHostName"));

    private static final DateTimeFormatter DEVICE_TIME =
            DateTimeFormatter.ofPattern(DEVICE_TIME_FORMAT, Locale.ROOT).withZone(ZoneOffset.UTC);

    /** LEEF's two header layouts. */
    public enum Version {
        V1("1.0"),
        V2("2.0");

        private final String text;

        Version(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final EventMapping mapping;
    private final Version version;
    private final char delimiter;

    public LeefEncoder(String productVersion, Version version, char delimiter) {
        this.mapping = new EventMapping(productVersion);
        this.version = version;
        if (version == Version.V1 && delimiter != '\t') {
            throw new IllegalArgumentException("LEEF 1.0 separates attributes with a tab only");
        }
        if (delimiter == '|' || delimiter == '=' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("a LEEF delimiter cannot be '|', '=' or a line break");
        }
        this.delimiter = delimiter;
    }

    @Override
    public String encode(Row row) {
        SecurityEvent event = mapping.map(row);
        StringBuilder out = new StringBuilder(256);
        out.append("LEEF:").append(version.text()).append('|');
        out.append(header(event.vendor())).append('|');
        out.append(header(event.product())).append('|');
        out.append(header(event.version())).append('|');
        out.append(header(event.eventClass())).append('|');
        if (version == Version.V2) {
            out.append(String.format(Locale.ROOT, "x%02X", (int) delimiter)).append('|');
        }
        String separator = "";
        if (event.severity() > 0) {
            out.append("sev=").append(event.severity());
            separator = String.valueOf(delimiter);
        }
        for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
            String key = attribute.getKey();
            String value = attribute.getValue();
            if (key.equals("rt")) {
                out.append(separator)
                        .append("devTime=")
                        .append(DEVICE_TIME.format(Instant.ofEpochMilli(Long.parseLong(value))));
                out.append(delimiter).append("devTimeFormat=").append(DEVICE_TIME_FORMAT);
            } else {
                out.append(separator)
                        .append(LEEF_KEYS.getOrDefault(key, key))
                        .append('=')
                        .append(value(value, delimiter));
            }
            separator = String.valueOf(delimiter);
        }
        return out.toString();
    }

    static String header(String value) {
        return CefEncoder.header(value, HEADER_LIMIT);
    }

    static String value(String value, char delimiter) {
        String cut = Texts.truncate(value, VALUE_LIMIT);
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c == delimiter || c == '\n' || c == '\r') {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
