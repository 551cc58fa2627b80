package dev.devloop.knowledge.ports.out;

import java.time.Duration;

/**
 * Whether the stores' versioned migrations have been applied. They run in the background at start; the Kafka
 * consumers that write to the stores wait for them, so no record fails (and is dead-lettered) because they still run.
 */
public interface StoreMigrationsPort {
    /** Stores already migrated (tests, tools). */
    StoreMigrationsPort APPLIED = wait -> true;

    /** Waits up to {@code wait}; true once the migrations are applied (it stays true). */
    boolean awaitMigrated(Duration wait);
}
