package io.vigil.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * "A batch was committed", published after every commit of every table, for detection (NRT rules),
 * forwarding and the integrity chain.
 *
 * <p>The stream is a durable log, not a queue in memory: a subscriber reads it at its own pace from its
 * own position, so a slow or stopped subscriber never holds up ingest. A subscriber has a name and a
 * durable position (the last batch it acknowledged, like a Kafka consumer group's committed offset); a
 * subscriber that was down resumes after that position and sees every batch committed meanwhile, in
 * commit order, none skipped. Only the batch it was handling when the process died can be delivered
 * again (it was never acknowledged); a listener that must see it exactly once recognises it by its id.
 *
 * <p>Retention may delete the rows of a batch before a lagging subscriber reads them: the batch is
 * still delivered (with the row count it was committed with), and {@link #rows} returns what is left.
 */
public interface CommitStream {
    /**
     * Starts (or resumes) delivery to a named subscriber. A name seen before resumes after its
     * position; a new name starts where {@code start} says. One subscription per name at a time.
     */
    CommitSubscription subscribe(String name, SubscriptionStart start, CommitListener listener);

    /** The rows of exactly this batch, in the order they were written. */
    List<Row> rows(BatchCommitted batch);

    /**
     * What was committed after batch {@code afterBatchId}, per table: how far a subscriber whose position
     * is {@code afterBatchId} is behind, for health and lag metrics. A store that cannot tell returns nothing.
     */
    default List<Backlog> backlog(long afterBatchId) {
        return List.of();
    }

    /**
     * The batches of one table committed after a position.
     *
     * @param rows the rows they were committed with
     * @param oldestCommitted when the first of them was committed
     */
    record Backlog(String table, long batches, long rows, Instant oldestCommitted) {
        public Backlog {
            Objects.requireNonNull(table, "table is null");
            Objects.requireNonNull(oldestCommitted, "oldestCommitted is null");
        }
    }

    /** Where a subscriber seen for the first time starts. */
    enum SubscriptionStart {
        /** With the first batch the store still lists. */
        EARLIEST,
        /** With the next batch committed after it subscribed. */
        LATEST
    }
}
