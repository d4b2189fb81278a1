package io.vigil.forward;

import io.vigil.spi.Row;
import java.time.Instant;
import java.util.Optional;

/** What the writers read from any row. */
final class Items {
    private Items() {}

    static Optional<Instant> timeGenerated(Row row) {
        if (row.table().indexOf("TimeGenerated") >= 0 && row.get("TimeGenerated") instanceof Instant generated) {
            return Optional.of(generated);
        }
        return Optional.empty();
    }

    /** A column's value as text, or empty when the table has no such column or the row leaves it empty. */
    static Optional<String> text(Row row, String column) {
        if (row.table().indexOf(column) < 0) {
            return Optional.empty();
        }
        Object value = row.get(column);
        if (value == null || value.toString().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Texts.text(value));
    }
}
