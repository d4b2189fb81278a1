package io.vigil.spi;

/** Receives what a format makes of its input: rows, dead letters and counted repairs. */
public interface RecordSink {
    void row(Row row);

    void deadLetter(DeadLetter deadLetter);

    /**
     * Notes that the input was repaired before parsing (for example Azure's invalid JSON with
     * single-quoted strings); {@code reason} is a bounded snake_case code.
     */
    default void repaired(String reason) {}
}
