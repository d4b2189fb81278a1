package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

/**
 * Where the store keeps what the chain covers besides the visible columns: the hidden batch id and row
 * sequence columns of every table. The wiring passes the store's names, so this module never imports the
 * store.
 */
public record IntegrityLayout(String batchIdColumn, String rowSequenceColumn) {
    public IntegrityLayout {
        requireNonNull(batchIdColumn, "batchIdColumn is null");
        requireNonNull(rowSequenceColumn, "rowSequenceColumn is null");
    }
}
