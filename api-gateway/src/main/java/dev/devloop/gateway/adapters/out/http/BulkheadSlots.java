package dev.devloop.gateway.adapters.out.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;

/**
 * A bulkhead for blocking calls with a bounded wait: at most {@code maxConcurrent} calls run, at most
 * {@code maxQueued} more wait up to {@code wait} for a slot; anything beyond is refused at once. (SmallRye's
 * bulkhead queues asynchronous calls only; a synchronous burst above its limit would be refused outright even
 * when slots free up within milliseconds.) Event-loop callers take a slot with {@link #acquireAsync()}: they wait
 * in the same bounded queue without a thread, and a released slot goes to them first.
 */
final class BulkheadSlots {
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxQueued;
    private final long waitNanos;
    private final String name;
    /** Asynchronous waiters, oldest first; a released slot is handed to the first one still waiting. */
    private final ConcurrentLinkedQueue<Waiter> asyncWaiters = new ConcurrentLinkedQueue<>();
    /** Whether a sweep of expired waiters is scheduled (one per bulkhead at a time). */
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();

    private static final CompletableFuture<Void> TAKEN = CompletableFuture.completedFuture(null);

    BulkheadSlots(String name, int maxConcurrent, int maxQueued, Duration wait) {
        if (maxConcurrent < 1 || maxQueued < 0 || wait.isNegative()) {
            throw new IllegalArgumentException("bulkhead bounds must be positive");
        }
        this.name = name;
        this.slots = new Semaphore(maxConcurrent, true);
        this.maxQueued = maxQueued;
        this.waitNanos = wait.toNanos();
    }

    /** Takes a slot (waiting if allowed) or throws {@link BulkheadException}; pair with {@link #release()}. */
    void acquire() {
        if (slots.tryAcquire()) {
            return;
        }
        if (waiting.incrementAndGet() > maxQueued) {
            waiting.decrementAndGet();
            throw new BulkheadException(name + ": " + maxQueued + " calls already waiting for a slot");
        }
        try {
            if (!slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                throw new BulkheadException(name + ": no slot free within "
                        + Duration.ofNanos(waitNanos).toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BulkheadException(name + ": interrupted while waiting for a slot");
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Takes a slot without blocking: completes at once when one is free, later when one is released within the
     * wait, and exceptionally with {@link BulkheadException} when the queue is full or the wait ran out. Pair a
     * normal completion with {@link #release()}.
     *
     * <p>A waiter has no timer of its own (stop 39: a delayed task per waiter, never cancelled, woke the common
     * pool's scheduler and a worker once per queued request and built an exception with its stack trace each time,
     * ~13 % of the gateway's CPU at 200 connections). Its deadline is checked when a slot is handed on (a waiter
     * past it is refused instead of served) and by one sweep per bulkhead, scheduled for the oldest waiter's
     * deadline while anyone waits (waiters join in order, so their deadlines are in order too).
     */
    CompletionStage<Void> acquireAsync() {
        if (slots.tryAcquire()) {
            return TAKEN;
        }
        if (waiting.incrementAndGet() > maxQueued) {
            waiting.decrementAndGet();
            return CompletableFuture.failedFuture(
                    new BulkheadException(name + ": " + maxQueued + " calls already waiting for a slot"));
        }
        Waiter waiter = new Waiter(System.nanoTime() + waitNanos);
        waiter.whenComplete((taken, failed) -> {
            waiting.decrementAndGet();
            if (failed != null) {
                asyncWaiters.remove(waiter); // refused or cancelled: out of the queue (already, when refused)
            }
        });
        asyncWaiters.add(waiter);
        if (sweepScheduled.compareAndSet(false, true)) {
            scheduleSweep(waitNanos);
        }
        // a slot released between the first try and joining the queue went to the semaphore: take it now
        if (slots.tryAcquire() && !(asyncWaiters.remove(waiter) && waiter.complete(null))) {
            release(); // the waiter was served (or gave up) meanwhile: pass the extra slot on
        }
        return waiter;
    }

    void release() {
        Waiter waiter;
        while ((waiter = asyncWaiters.poll()) != null) {
            if (waiter.deadline - System.nanoTime() <= 0) {
                giveUp(waiter); // its wait ran out: it is refused, the slot goes to the next one
            } else if (waiter.complete(null)) {
                return; // handed over: the slot stays taken
            }
        }
        slots.release();
    }

    /** Refuses the waiters whose wait ran out, oldest first; again at the next deadline while anyone waits. */
    private void sweep() {
        long next;
        while (true) {
            Waiter oldest;
            while ((oldest = asyncWaiters.peek()) != null && oldest.deadline - System.nanoTime() <= 0) {
                if (asyncWaiters.remove(oldest)) {
                    giveUp(oldest);
                }
            }
            if (oldest != null) {
                next = oldest.deadline - System.nanoTime();
                break;
            }
            sweepScheduled.set(false);
            // a waiter that joined after the queue looked empty, and found the sweep still scheduled, is ours
            if (asyncWaiters.isEmpty() || !sweepScheduled.compareAndSet(false, true)) {
                return;
            }
        }
        scheduleSweep(Math.max(next, 1));
    }

    private void scheduleSweep(long delayNanos) {
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(this::sweep);
    }

    private void giveUp(Waiter waiter) {
        waiter.completeExceptionally(new BulkheadException(
                name + ": no slot free within " + Duration.ofNanos(waitNanos).toMillis() + " ms"));
    }

    /** An asynchronous caller waiting for a slot until {@code deadline} ({@link System#nanoTime()}). */
    private static final class Waiter extends CompletableFuture<Void> {
        final long deadline;

        Waiter(long deadline) {
            this.deadline = deadline;
        }
    }

    /** Calls waiting for a slot now. */
    int waiting() {
        return waiting.get();
    }
}
