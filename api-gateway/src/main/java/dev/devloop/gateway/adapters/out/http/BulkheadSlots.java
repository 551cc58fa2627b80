package dev.devloop.gateway.adapters.out.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> asyncWaiters = new ConcurrentLinkedQueue<>();

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
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        waiter.whenComplete((taken, failed) -> {
            waiting.decrementAndGet();
            if (failed != null) {
                asyncWaiters.remove(waiter);
            }
        });
        asyncWaiters.add(waiter);
        CompletableFuture.delayedExecutor(waitNanos, TimeUnit.NANOSECONDS)
                .execute(() -> waiter.completeExceptionally(new BulkheadException(name + ": no slot free within "
                        + Duration.ofNanos(waitNanos).toMillis() + " ms")));
        // a slot released between the first try and joining the queue went to the semaphore: take it now
        if (slots.tryAcquire() && !(asyncWaiters.remove(waiter) && waiter.complete(null))) {
            release(); // the waiter was served (or gave up) meanwhile: pass the extra slot on
        }
        return waiter;
    }

    void release() {
        CompletableFuture<Void> waiter;
        while ((waiter = asyncWaiters.poll()) != null) {
            if (waiter.complete(null)) {
                return; // handed over: the slot stays taken
            }
        }
        slots.release();
    }

    /** Calls waiting for a slot now. */
    int waiting() {
        return waiting.get();
    }
}
