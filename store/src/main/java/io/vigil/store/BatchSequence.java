package io.vigil.store;

import java.util.TreeSet;

/**
 * Hands out batch ids and knows which are still in flight (allocated, neither committed nor rolled
 * back). Writers of different tables commit in parallel, so batch 7 may commit after batch 8; the
 * commit stream delivers only up to {@link #settled()}, below which no batch can appear any more, and
 * thereby keeps one global order that is the commit order of every table.
 */
final class BatchSequence {
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long last;

    BatchSequence(long lastCommitted) {
        this.last = lastCommitted;
    }

    synchronized long allocate() {
        last++;
        inFlight.add(last);
        return last;
    }

    /** The batch is committed or abandoned. */
    synchronized void finished(long batchId) {
        inFlight.remove(batchId);
        notifyAll();
    }

    /** The highest id such that every batch up to it is committed or will never be. */
    synchronized long settled() {
        if (inFlight.isEmpty()) {
            return last;
        }
        return inFlight.first() - 1;
    }

    /** Waits until {@link #settled()} passes {@code position} or the time is up; returns it. */
    synchronized long awaitSettledAbove(long position, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        long settled = settled();
        while (settled <= position) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                break;
            }
            wait(remainingMillis);
            settled = settled();
        }
        return settled;
    }
}
