package dev.devloop.migrations;

/**
 * Where a store's versioned migrations stand: {@code PENDING} (not run yet, or the store was unreachable and the
 * start retries), {@code APPLIED} (the store is at the code's latest version), {@code FAILED} (a migration failed;
 * the store stays at {@code version}) or {@code REFUSED} (the store is newer than the code, or a lock was never
 * released). Only {@code APPLIED} is ready.
 */
public record MigrationStatus(State state, String version, String reason) {
    /** The states. */
    public enum State {
        PENDING,
        APPLIED,
        FAILED,
        REFUSED
    }

    public static MigrationStatus pending(String reason) {
        return new MigrationStatus(State.PENDING, "unknown", reason);
    }

    public boolean ready() {
        return state == State.APPLIED;
    }
}
