package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One row made ready for a sink: the bytes the receiver gets for it and what requests are built from.
 *
 * @param id stable across retries and restarts ({@code <batch id>-<row ordinal>}), so a receiver can
 *     recognise a repeat: the webhook's delivery header, OpenSearch's {@code _id}
 * @param table the row's table
 * @param time the row's TimeGenerated (the forwarder's clock when it has none)
 * @param body the encoded row
 */
record SinkItem(String id, String table, Instant time, byte[] body) {
    SinkItem {
        requireNonNull(id, "id is null");
        requireNonNull(table, "table is null");
        requireNonNull(time, "time is null");
        requireNonNull(body, "body is null");
    }
}
