package dev.devloop.agent.ports.out;

import java.util.function.Supplier;

/**
 * Carries one store operation of a run in flight through a transient outage of the store: the operation is
 * retried with backoff until it succeeds or a bounded time has passed (then a
 * {@link StoreUnavailableException}), so a short outage pauses the run instead of abandoning it to its lease.
 * Only for operations that are safe to repeat (idempotent writes, reads).
 */
public interface StoreRetryPort {
    <T> T call(String operation, Supplier<T> call);

    default void run(String operation, Runnable call) {
        call(operation, () -> {
            call.run();
            return null;
        });
    }

    /** Runs each operation once (tests, benchmarks, stores without outages). */
    StoreRetryPort NONE = new StoreRetryPort() {
        @Override
        public <T> T call(String operation, Supplier<T> call) {
            return call.get();
        }
    };
}
