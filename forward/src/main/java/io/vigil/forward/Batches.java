package io.vigil.forward;

import java.util.ArrayList;
import java.util.List;

/** Splits items into requests of at most so many items and bytes (an item is never split). */
final class Batches {
    private Batches() {}

    static List<List<SinkItem>> split(List<SinkItem> items, int maxItems, int maxBytes) {
        List<List<SinkItem>> requests = new ArrayList<>();
        List<SinkItem> current = new ArrayList<>();
        long bytes = 0;
        for (SinkItem item : items) {
            if (!current.isEmpty() && (current.size() >= maxItems || bytes + item.body().length > maxBytes)) {
                requests.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(item);
            bytes += item.body().length;
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    static byte[] concatenate(List<SinkItem> items) {
        int length = 0;
        for (SinkItem item : items) {
            length += item.body().length;
        }
        byte[] body = new byte[length];
        int offset = 0;
        for (SinkItem item : items) {
            System.arraycopy(item.body(), 0, body, offset, item.body().length);
            offset += item.body().length;
        }
        return body;
    }
}
