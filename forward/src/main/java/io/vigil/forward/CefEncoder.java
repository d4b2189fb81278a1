package io.vigil.forward;

import static java.util.Map.entry;

import io.vigil.spi.Row;
import java.util.Map;

/**
 * CEF 0 ("Implementing ArcSight Common Event Format (CEF)", rev. 25): {@code CEF:0|Vendor|Product|
 * Version|Signature ID|Name|Severity|key=value …}.
 *
 * <p>Escaping: in header fields {@code \} becomes {@code \\} and {@code |} becomes {@code \|}; a header
 * field cannot hold a line break, so CR and LF become spaces. In extension values {@code \} becomes
 * {@code \\}, {@code =} becomes {@code \=}, LF becomes {@code \n} and CR {@code \r}; {@code |} is not
 * escaped there. Lengths, in characters, are cut to the spec's limits before escaping: Vendor and Product
 * 63, Version 31, Signature ID 1023, Name 512, and each extension key its dictionary length
 * ({@link #EXTENSION_LIMITS}; keys the dictionary does not size get 4000, its widest).
 */
public final class CefEncoder implements Encoder {
    static final int VENDOR_LIMIT = 63;
    static final int PRODUCT_LIMIT = 63;
    static final int VERSION_LIMIT = 31;
    static final int SIGNATURE_LIMIT = 1023;
    static final int NAME_LIMIT = 512;
    static final int DEFAULT_EXTENSION_LIMIT = 4000;

    // "Implementing ArcSight CEF", the extension dictionary's Length column
    static final Map<String, Integer> EXTENSION_LIMITS = Map.ofEntries(
            entry("act", 63),
            entry("app", 31),
            entry("cat", 1023),
            entry("dhost", 1023),
            entry("dntdom", 255),
            entry("dpriv", 1023),
            entry("dproc", 1023),
            entry("duid", 1023),
            entry("duser", 1023),
            entry("dvchost", 100),
            entry("externalId", 40),
            entry("deviceExternalId", 255),
            entry("deviceProcessName", 1023),
            entry("destinationServiceName", 1023),
            entry("fileHash", 255),
            entry("filePath", 1023),
            entry("fname", 1023),
            entry("msg", 1023),
            entry("outcome", 63),
            entry("proto", 31),
            entry("reason", 1023),
            entry("request", 1023),
            entry("requestClientApplication", 1023),
            entry("requestMethod", 1023),
            entry("shost", 1023),
            entry("sntdom", 255),
            entry("spriv", 1023),
            entry("sproc", 1023),
            entry("suid", 1023),
            entry("suser", 1023),
            entry("cs1Label", 1023),
            entry("cs2Label", 1023),
            entry("cs3Label", 1023),
            entry("cs4Label", 1023),
            entry("cs5Label", 1023),
            entry("cs6Label", 1023));

    private final EventMapping mapping;

    public CefEncoder(String productVersion) {
        this.mapping = new EventMapping(productVersion);
    }

    @Override
    public String encode(Row row) {
        SecurityEvent event = mapping.map(row);
        StringBuilder out = new StringBuilder(256);
        out.append("CEF:0|");
        out.append(header(event.vendor(), VENDOR_LIMIT)).append('|');
        out.append(header(event.product(), PRODUCT_LIMIT)).append('|');
        out.append(header(event.version(), VERSION_LIMIT)).append('|');
        out.append(header(event.eventClass(), SIGNATURE_LIMIT)).append('|');
        out.append(header(event.name(), NAME_LIMIT)).append('|');
        out.append(event.severity()).append('|');
        String separator = "";
        for (Map.Entry<String, String> attribute : event.attributes().entrySet()) {
            String key = attribute.getKey();
            int limit = EXTENSION_LIMITS.getOrDefault(key, DEFAULT_EXTENSION_LIMIT);
            out.append(separator).append(key).append('=').append(extensionValue(attribute.getValue(), limit));
            separator = " ";
        }
        return out.toString();
    }

    static String header(String value, int limit) {
        String cut = Texts.truncate(value, limit);
        StringBuilder out = new StringBuilder(cut.length() + 8);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '|' -> out.append("\\|");
                case '\r', '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String extensionValue(String value, int limit) {
        String cut = Texts.truncate(value, limit);
        StringBuilder out = new StringBuilder(cut.length() + 8);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '=' -> out.append("\\=");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
