package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row mapped to the words CEF and LEEF share: a header (vendor, product, version, event class, name,
 * severity 0-10) and attributes under CEF key names, in a fixed order. LEEF renames some keys.
 */
record SecurityEvent(
        String vendor,
        String product,
        String version,
        String eventClass,
        String name,
        int severity,
        Map<String, String> attributes) {
    SecurityEvent {
        requireNonNull(vendor, "vendor is null");
        requireNonNull(product, "product is null");
        requireNonNull(version, "version is null");
        requireNonNull(eventClass, "eventClass is null");
        requireNonNull(name, "name is null");
        if (severity < 0 || severity > 10) {
            throw new IllegalArgumentException("severity must be 0-10");
        }
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
