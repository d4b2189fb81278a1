package io.vigil.engine;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs work on a thread with a deep stack. The parser, binder and SQL renderer walk a query's tree recursively,
 * and a generated query (ten thousand {@code or} terms, a thousand {@code | where} steps) is a tree that deep:
 * more than a request thread's default stack holds. The stack is address space reserved, and memory only as
 * deep as a query goes. Deeper still is a {@link StackOverflowError}, which the caller answers as a query too
 * complex to compile.
 */
public final class DeepStack {
    static final long STACK_BYTES = 512L * 1024 * 1024;

    private DeepStack() {}

    /** What {@code work} returns or throws; a {@link StackOverflowError} in it is thrown here as it is. */
    public static <T> T call(String name, Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                null,
                () -> {
                    try {
                        result.set(work.get());
                    } catch (Throwable thrown) {
                        failure.set(thrown);
                    }
                },
                name,
                STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                // compiling is short and bounded by the query's size: pass the interrupt on, wait, keep it
                interrupted = true;
                thread.interrupt();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        if (thrown != null) {
            throw new IllegalStateException(thrown);
        }
        return result.get();
    }
}
