package io.vigil.forward;

import static java.util.Objects.requireNonNull;

/** What a receiver said about one item it was sent. */
sealed interface ItemOutcome {
    ItemOutcome ACCEPTED = new Accepted();

    /** Taken (a 2xx, a HEC acknowledgement, a bulk item's 2xx status): the item is done. */
    record Accepted() implements ItemOutcome {}

    /** Not taken for a reason that may pass (busy, 429, 5xx, a timeout): sent again, forever. */
    record Retry(String reason) implements ItemOutcome {
        public Retry {
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * Refused as invalid (a 4xx about the item itself): sent again until the sink's attempts are used up,
     * then dead-lettered with this reason, since retrying a bad item for ever would stop the route.
     */
    record Rejected(String reason) implements ItemOutcome {
        public Rejected {
            requireNonNull(reason, "reason is null");
        }
    }
}
