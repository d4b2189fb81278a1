package io.vigil.spi;

/** A running subscription to the commit stream; closing it stops delivery and keeps its position. */
public interface CommitSubscription extends AutoCloseable {
    /** The subscriber's durable name. */
    String name();

    /** The id of the last batch it acknowledged (0 before the first). */
    long position();

    /** Whether it has acknowledged every batch committed so far. */
    boolean caughtUp();

    /** Stops delivery, waiting for the batch being handled, if any. */
    @Override
    void close();
}
