package io.vigil.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a store is opened.
 *
 * @param tenantId the workspace id, written to every row's {@code TenantId} that has none (in Log
 *     Analytics {@code TenantId} is the workspace id); empty leaves it null
 * @param geoIpDatabase a MaxMind DB file (GeoLite2 / GeoIP2 City layout) that KQL's
 *     {@code geo_info_from_ip_address} reads. The store is the seam because the function runs inside its
 *     DuckDB database as a Java scalar function, registered once when the database opens, like the series
 *     functions; the store opens the file then (a bad file fails the open) and closes it with the database.
 *     Empty: the function answers the empty bag.
 * @param resources the memory and temporary disk the DuckDB database may use
 */
public record StoreOptions(
        WriterConfig writer,
        RetentionPolicy retention,
        String tenantId,
        Optional<Path> geoIpDatabase,
        DuckDbResources resources) {
    public static final StoreOptions DEFAULT = new StoreOptions(
            WriterConfig.DEFAULT, RetentionPolicy.DEFAULT, "", Optional.empty(), DuckDbResources.defaults());

    public StoreOptions {
        requireNonNull(writer, "writer is null");
        requireNonNull(retention, "retention is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(geoIpDatabase, "geoIpDatabase is null");
        requireNonNull(resources, "resources is null");
    }

    /** A builder starting from {@link #DEFAULT}. */
    public static Builder builder() {
        return DEFAULT.toBuilder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Sets the options one by one; {@link #build} checks them. */
    public static final class Builder {
        private WriterConfig writer;
        private RetentionPolicy retention;
        private String tenantId;
        private Optional<Path> geoIpDatabase;
        private DuckDbResources resources;

        private Builder(StoreOptions from) {
            writer = from.writer;
            retention = from.retention;
            tenantId = from.tenantId;
            geoIpDatabase = from.geoIpDatabase;
            resources = from.resources;
        }

        public Builder writer(WriterConfig value) {
            writer = value;
            return this;
        }

        public Builder retention(RetentionPolicy value) {
            retention = value;
            return this;
        }

        public Builder tenantId(String value) {
            tenantId = value;
            return this;
        }

        public Builder geoIpDatabase(Optional<Path> value) {
            geoIpDatabase = value;
            return this;
        }

        public Builder resources(DuckDbResources value) {
            resources = value;
            return this;
        }

        public StoreOptions build() {
            return new StoreOptions(writer, retention, tenantId, geoIpDatabase, resources);
        }
    }
}
