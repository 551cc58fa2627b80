package dev.devloop.agent.application;

import dev.devloop.agent.ports.out.RunRepositoryPort;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a run's lease while its loop waits on something long that appends no step — a child run
 * (spawn with a task, coordinate_agents, handoff): every {@code every} the stored lease is renewed,
 * so no other replica's recovery job takes the run over early; closing the hold stops the renewals.
 * The renewals live in this process only, so a replica that dies stops renewing and its runs' leases
 * lapse as before.
 */
public final class LeaseKeeper {
    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class.getName());
    /** Holds nothing: for loops without a store that leases (tests, benchmarks). */
    public static final LeaseKeeper NONE = new LeaseKeeper(null, null, Duration.ofDays(1));

    private final RunRepositoryPort runs;
    private final ScheduledExecutorService timer;
    private final Duration every;
    private final AtomicInteger held = new AtomicInteger();

    public LeaseKeeper(RunRepositoryPort runs, ScheduledExecutorService timer, Duration every) {
        if (every == null || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the lease renewal interval must be positive");
        }
        this.runs = runs;
        this.timer = timer;
        this.every = every;
    }

    /** A hold on the run's lease until it is closed. */
    public Hold hold(String tenant, String runId) {
        if (timer == null) {
            return () -> {};
        }
        held.incrementAndGet();
        ScheduledFuture<?> renewals = timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        runs.renewLease(tenant, runId);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "could not renew the lease of run " + runId + ": " + e.getMessage());
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
        return new Hold() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    renewals.cancel(false);
                    held.decrementAndGet();
                }
            }
        };
    }

    /** How many holds are open right now (exposed as a gauge). */
    public int held() {
        return held.get();
    }

    /** An open hold; closing it stops the renewals. */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }
}
