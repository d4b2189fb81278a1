package io.vigil.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets a caller stop a running query from another thread (a closed HTTP request, a rule being disabled,
 * a UI's stop button). A cancelled query stops in the database and throws a {@link QueryException} with
 * {@code QUERY_CANCELLED}; cancelling one that has finished does nothing. One token may serve several runs.
 */
public final class QueryCancellation {
    private final List<Runnable> listeners = new ArrayList<>();
    private boolean cancelled;

    /** A token nobody cancels, for callers that only stop queries by their timeout. */
    public static QueryCancellation none() {
        return new QueryCancellation();
    }

    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(listeners);
            listeners.clear();
        }
        for (Runnable listener : toRun) {
            listener.run();
        }
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code onCancel} when the token is cancelled (now, if it already is); close to stop listening. */
    AutoCloseableListener whenCancelled(Runnable onCancel) {
        boolean runNow;
        synchronized (this) {
            runNow = cancelled;
            if (!runNow) {
                listeners.add(onCancel);
            }
        }
        if (runNow) {
            onCancel.run();
        }
        return () -> {
            synchronized (this) {
                listeners.remove(onCancel);
            }
        };
    }

    /** A listener registration; closing it never throws. */
    interface AutoCloseableListener extends AutoCloseable {
        @Override
        void close();
    }
}
