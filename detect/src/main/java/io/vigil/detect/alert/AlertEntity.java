package io.vigil.detect.alert;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An entity an alert names, from the rule's entity mappings: its Sentinel type (Account, IP, Host, …) and
 * the identifiers read from the result row, in the mapping's order.
 */
public record AlertEntity(String type, Map<String, String> identifiers) {
    public AlertEntity {
        requireNonNull(type, "type is null");
        identifiers =
                Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(identifiers, "identifiers is null")));
    }
}
