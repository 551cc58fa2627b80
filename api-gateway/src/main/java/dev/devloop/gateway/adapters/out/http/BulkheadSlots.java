package dev.devloop.gateway.adapters.out.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;

/**
 * A bulkhead for blocking calls with a bounded wait: at most {@code maxConcurrent} calls run, at most
 * {@code maxQueued} more wait up to {@code wait} for a slot; anything beyond is refused at once. (SmallRye's
 * bulkhead queues asynchronous calls only; a synchronous burst above its limit would be refused outright even
 * when slots free up within milliseconds.)
 */
final class BulkheadSlots {
  private final Semaphore slots;
  private final AtomicInteger waiting = new AtomicInteger();
  private final int maxQueued;
  private final long waitNanos;
  private final String name;

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
        throw new BulkheadException(name + ": no slot free within " + Duration.ofNanos(waitNanos).toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BulkheadException(name + ": interrupted while waiting for a slot");
    } finally {
      waiting.decrementAndGet();
    }
  }

  void release() {
    slots.release();
  }

  /** Calls waiting for a slot now. */
  int waiting() {
    return waiting.get();
  }
}
