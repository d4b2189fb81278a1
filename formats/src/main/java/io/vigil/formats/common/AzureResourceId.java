package io.vigil.formats.common;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of an Azure Resource Manager resource ID
 * ({@code /subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{type}/{name}…]}),
 * kept in the case they were written in; absent parts are "". Nested types are joined with '/', so a
 * SQL database has type {@code servers/databases} and name {@code db1}, as in the resource-log
 * {@code ResourceType} column.
 */
public record AzureResourceId(
        String id, String subscriptionId, String resourceGroup, String provider, String resourceType, String name) {
    public AzureResourceId {
        requireNonNull(id, "id is null");
        requireNonNull(subscriptionId, "subscriptionId is null");
        requireNonNull(resourceGroup, "resourceGroup is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(name, "name is null");
    }

    /** Splits {@code id}; text that is not a resource ID gives an ID with only {@link #id} set. */
    public static AzureResourceId parse(String id) {
        requireNonNull(id, "id is null");
        String[] segments = id.split("/");
        String subscription = "";
        String group = "";
        String provider = "";
        List<String> types = new ArrayList<>();
        String name = "";
        int i = 0;
        while (i < segments.length) {
            String segment = segments[i].toLowerCase(Locale.ROOT);
            if (segment.isEmpty()) {
                i++;
                continue;
            }
            if (segment.equals("subscriptions") && i + 1 < segments.length && provider.isEmpty()) {
                subscription = segments[i + 1];
                i += 2;
            } else if (segment.equals("resourcegroups") && i + 1 < segments.length && provider.isEmpty()) {
                group = segments[i + 1];
                i += 2;
            } else if (segment.equals("providers") && i + 1 < segments.length) {
                // a nested "providers" (extension resources) starts a new namespace; the last one wins
                provider = segments[i + 1];
                types.clear();
                i += 2;
                while (i + 1 < segments.length && !segments[i].equalsIgnoreCase("providers")) {
                    types.add(segments[i]);
                    name = segments[i + 1];
                    i += 2;
                }
                if (i < segments.length && !segments[i].equalsIgnoreCase("providers")) {
                    // an odd trailing segment (a collection path): keep it as part of the type
                    types.add(segments[i]);
                    i++;
                }
            } else {
                i++;
            }
        }
        return new AzureResourceId(id, subscription, group, provider, String.join("/", types), name);
    }

    /** The ID in lower case, as Log Analytics stores {@code _ResourceId}. */
    public String normalized() {
        return id.toLowerCase(Locale.ROOT);
    }
}
