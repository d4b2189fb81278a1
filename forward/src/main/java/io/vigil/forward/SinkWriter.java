package io.vigil.forward;

import io.vigil.spi.Row;
import java.io.IOException;
import java.util.List;

/**
 * A sink's encoder and transport together, as its registry entry builds them: the forwarder hands it each
 * batch's rows and retries what it did not deliver.
 */
interface SinkWriter extends AutoCloseable {
    /** The row as the receiver gets it; a {@link RuntimeException} when it cannot be encoded (dead-lettered). */
    SinkItem encode(Row row, String id);

    /** The largest item the transport carries; a longer one is dead-lettered, as retrying cannot help it. */
    int maxItemBytes();

    /**
     * How often an item may be {@link ItemOutcome.Rejected refused} before it goes to the dead letters; 1 for
     * transports that never refuse single items.
     */
    int maxAttempts();

    /**
     * Sends the items and returns one outcome per item, in their order. Throws when the receiver could not be
     * reached or said nothing usable: then every item is sent again.
     */
    List<ItemOutcome> send(List<SinkItem> items) throws IOException, InterruptedException;

    @Override
    void close();
}
