package io.vigil.store;

import static java.util.Objects.requireNonNull;

/**
 * How a store is opened.
 *
 * @param tenantId the workspace id, written to every row's {@code TenantId} that has none (in Log
 *     Analytics {@code TenantId} is the workspace id); empty leaves it null
 */
public record StoreOptions(WriterConfig writer, RetentionPolicy retention, String tenantId) {
    public static final StoreOptions DEFAULT = new StoreOptions(WriterConfig.DEFAULT, RetentionPolicy.DEFAULT, "");

    public StoreOptions {
        requireNonNull(writer, "writer is null");
        requireNonNull(retention, "retention is null");
        requireNonNull(tenantId, "tenantId is null");
    }

    public StoreOptions withTenantId(String newTenantId) {
        return new StoreOptions(writer, retention, newTenantId);
    }
}
