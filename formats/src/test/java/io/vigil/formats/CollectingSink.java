package io.vigil.formats;

import io.vigil.spi.DeadLetter;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps everything a format emits, in order. */
final class CollectingSink implements RecordSink {
    final List<Row> rows = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<String> repairs = new ArrayList<>();
    /** Rows, dead letters and repairs interleaved in emission order. */
    final List<Object> events = new ArrayList<>();

    @Override
    public void row(Row row) {
        rows.add(row);
        events.add(row);
    }

    @Override
    public void deadLetter(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
        events.add(deadLetter);
    }

    @Override
    public void repaired(String reason) {
        repairs.add(reason);
        events.add(reason);
    }
}
