package dev.devloop.migrations;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs one store's versioned migrations at start and keeps the outcome for readiness and for the adapters: the
 * first attempt runs in the start itself (so the first request finds the store migrated); while the store is
 * unreachable it is retried in the background every {@code retry}; a failed or refused migration is final until
 * the next start (the store stays at its version, the service not ready, the reason in the log and in health).
 */
public final class StoreMigrator {
    private static final Logger LOG = Logger.getLogger(StoreMigrator.class);
    private final String store;
    private final Supplier<MigrationStatus> attempt;
    private final Duration retry;
    private volatile MigrationStatus status = MigrationStatus.pending("migrations not run yet");
    private volatile Thread worker;
    private volatile boolean stopping;
    private final ReentrantLock running = new ReentrantLock();

    /** {@code attempt} throws {@link Unreachable} when the store cannot be reached (retried later). */
    public StoreMigrator(String store, Supplier<MigrationStatus> attempt, Duration retry) {
        this.store = store;
        this.attempt = attempt;
        this.retry = retry;
    }

    /** Current status (never null). */
    public MigrationStatus status() {
        return status;
    }

    /** Runs the migrations if they have not finished yet; returns the status. */
    public MigrationStatus migrate() {
        running.lock();
        try {
            return migrateLocked();
        } finally {
            running.unlock();
        }
    }

    private MigrationStatus migrateLocked() {
        if (status.state() != MigrationStatus.State.PENDING) {
            return status;
        }
        try {
            MigrationStatus s = attempt.get();
            status = s;
            switch (s.state()) {
                case APPLIED -> LOG.infof("%s migrations: at version %s", store, s.version());
                case PENDING -> LOG.warnf("%s migrations pending: %s", store, s.reason());
                default ->
                    LOG.errorf(
                            "%s migrations %s at version %s; the service stays not ready: %s",
                            store, s.state().name().toLowerCase(java.util.Locale.ROOT), s.version(), s.reason());
            }
        } catch (Unreachable e) {
            status = MigrationStatus.pending(
                    store + " unreachable, migrations retried every " + retry.toSeconds() + " s: " + e.getMessage());
            LOG.warnf("%s", status.reason());
        }
        return status;
    }

    /** The start: one attempt now, then retries in the background while the store is unreachable. */
    public void start() {
        if (migrate().state() != MigrationStatus.State.PENDING) {
            return;
        }
        Thread t = new Thread(
                () -> {
                    while (!stopping && migrate().state() == MigrationStatus.State.PENDING) {
                        try {
                            Thread.sleep(retry.toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                },
                store + "-migrations");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    public void stop() {
        stopping = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * For the adapters: migrates now if still pending, and unless the store is then migrated throws what
     * {@code unavailable} makes of the reason (each service maps it to its own 503).
     */
    public void ensureMigrated(Function<String, RuntimeException> unavailable) {
        MigrationStatus s = status;
        if (s.ready()) {
            return;
        }
        if (running.tryLock()) {
            try {
                migrateLocked();
            } finally {
                running.unlock();
            }
        } // else another thread is migrating (maybe waiting for another instance's lock): do not hold this one
        s = status;
        if (!s.ready()) {
            throw unavailable.apply(s.reason());
        }
    }

    /** Thrown by an attempt when the store cannot be reached. */
    public static final class Unreachable extends RuntimeException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
