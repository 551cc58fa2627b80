package dev.devloop.provider.adapters.out;

import dev.devloop.contracts.logging.LogFields;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * One daemon thread that writes what a request path only buffered (spend to Redis, usage batches to Kafka): a
 * scheduled {@link Work#flush} every interval, an early one on {@link #wake}, and at {@link #close} a drain that
 * flushes again until nothing waits or the drain time is over; what is left then is {@link Work#abandon}ed and added
 * to the owner's dropped counter. Owners call {@link #close} from a {@code ShutdownEvent} observer, which Quarkus fires
 * before the Redis and Kafka clients close ({@code @PreDestroy} alone may come after).
 */
public final class BackgroundFlusher {
    /** What the thread flushes. Runs on the flusher thread, or on the closing thread once the flusher stopped. */
    public interface Work {
        /** Writes what waits; {@code due}: the interval elapsed (false: woken early by {@link #wake}). */
        void flush(boolean due);

        /** How much still waits (0 ends the drain). */
        long waiting();

        /** The drain time is over: gives up what still waits; returns the amount for the dropped counter. */
        double abandon();
    }

    private static final Logger LOG = Logger.getLogger(BackgroundFlusher.class);
    private static final long DRAIN_PAUSE_NANOS = Duration.ofMillis(20).toNanos();

    private final String name;
    private final long intervalNanos;
    private final Duration drainTime;
    private final Work work;
    private final Counter dropped;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile Thread thread;

    public BackgroundFlusher(String name, Duration interval, Duration drainTime, Work work, Counter dropped) {
        this.name = name;
        this.intervalNanos = Math.max(1, interval.toNanos());
        this.drainTime = drainTime;
        this.work = work;
        this.dropped = dropped;
    }

    public synchronized void start() {
        if (thread != null || closed.get()) {
            return;
        }
        Thread t = new Thread(this::loop, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Runs a flush now rather than at the next tick ({@code due} false); no effect before {@link #start}. */
    public void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** True once {@link #close} began: new work should not wait for a flush that may never come. */
    public boolean closed() {
        return closed.get();
    }

    private void loop() {
        long next = System.nanoTime() + intervalNanos;
        while (!stopping) {
            long now = System.nanoTime();
            boolean due = now - next >= 0;
            if (due) {
                next = now + intervalNanos;
            }
            try {
                work.flush(due);
            } catch (RuntimeException e) {
                LogFields.of("flusher", name, "error", e.toString()).warn(LOG, "background flush failed");
            }
            LockSupport.parkNanos(this, Math.max(0, next - System.nanoTime()));
        }
    }

    /** Stops the thread, then drains (bounded by the drain time); counts and logs what could not be written. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        long deadline = System.nanoTime() + drainTime.toNanos();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(Math.max(1, drainTime.toMillis() / 2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            work.flush(true);
            while (work.waiting() > 0 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(this, DRAIN_PAUSE_NANOS);
                work.flush(true);
            }
        } catch (RuntimeException e) {
            LogFields.of("flusher", name, "error", e.toString()).warn(LOG, "drain at shutdown failed");
        }
        long left = work.waiting();
        if (left > 0) {
            double amount = work.abandon();
            dropped.increment(amount);
            LogFields.of("flusher", name, "left", left, "dropped", amount).warn(LOG, "not written at shutdown");
        }
    }
}
