package dev.devloop.provider.config;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Waits, bounded, until the JIT has compiled what a warm-up asked for. A warm-up of thousands of calls queues hundreds
 * of methods faster than the compiler threads of a small pod compile them (~700 queued at its end on 2 cores): turning
 * ready then hands the first seconds of traffic to interpreted and C1-profiled code while C2 catches up. The
 * compilers' accumulated time ({@link CompilationMXBean#getTotalCompilationTime()}) stops growing once the queue is
 * empty and no traffic runs, so this waits until it grew by at most {@link #IDLE_SHARE} of a window in one window.
 */
final class CompilerSettle {
    /** A window in which the compilers worked at most this share of it counts as quiet. */
    static final double IDLE_SHARE = 0.1;

    static final Duration WINDOW = Duration.ofMillis(250);

    /** What a wait saw: how long it took and whether the compilers went quiet before the bound. */
    record Outcome(long waitedMs, boolean quiet) {
        static final Outcome SKIPPED = new Outcome(0, false);
    }

    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final LongSupplier compileMillis;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    CompilerSettle(LongSupplier compileMillis, LongSupplier nanoTime, Sleeper sleeper) {
        this.compileMillis = compileMillis;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** The running JVM's compilers; empty where they cannot be observed (a native image has no JIT). */
    static Optional<CompilerSettle> ofThisJvm() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return Optional.empty();
        }
        return Optional.of(new CompilerSettle(jit::getTotalCompilationTime, System::nanoTime, Thread::sleep));
    }

    /** Waits until one window is quiet or {@code bound} has passed; a zero or negative bound returns at once. */
    Outcome await(Duration bound) throws InterruptedException {
        if (bound.isZero() || bound.isNegative()) {
            return Outcome.SKIPPED;
        }
        long start = nanoTime.getAsLong();
        long end = start + bound.toNanos();
        long window = WINDOW.toMillis();
        long quietBudget = Math.round(window * IDLE_SHARE);
        long before = compileMillis.getAsLong();
        while (nanoTime.getAsLong() < end) {
            sleeper.sleep(Math.max(1, Math.min(window, TimeUnit.NANOSECONDS.toMillis(end - nanoTime.getAsLong()))));
            long now = compileMillis.getAsLong();
            if (now - before <= quietBudget) {
                return new Outcome(TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - start), true);
            }
            before = now;
        }
        return new Outcome(TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - start), false);
    }
}
