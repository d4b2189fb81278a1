package io.vigil.store;

import static java.util.Objects.requireNonNull;

/** How a store is opened. */
public record StoreOptions(WriterConfig writer, RetentionPolicy retention) {
    public static final StoreOptions DEFAULT = new StoreOptions(WriterConfig.DEFAULT, RetentionPolicy.DEFAULT);

    public StoreOptions {
        requireNonNull(writer, "writer is null");
        requireNonNull(retention, "retention is null");
    }
}
