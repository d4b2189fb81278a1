package io.vigil.store;

import java.util.List;

/**
 * Columns the store adds to every table, hidden from {@code *}, {@code project} and {@code getschema}
 * like Azure's hidden columns: the ingestion time behind {@code ingestion_time()}, and the batch id and
 * row sequence that the integrity chain covers.
 */
public final class HiddenColumns {
    public static final String PREFIX = "_vigil_";
    public static final String INGESTION_TIME = "_vigil_ingestion_time";
    public static final String BATCH_ID = "_vigil_batch_id";
    public static final String ROW_SEQUENCE = "_vigil_row_seq";

    static final List<String> ALL = List.of(INGESTION_TIME, BATCH_ID, ROW_SEQUENCE);

    private HiddenColumns() {}

    public static boolean isHidden(String column) {
        return column.startsWith(PREFIX);
    }
}
