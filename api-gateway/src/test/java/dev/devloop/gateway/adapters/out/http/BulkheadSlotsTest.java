package dev.devloop.gateway.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.junit.jupiter.api.Test;

class BulkheadSlotsTest {

    private static void awaitWaiting(BulkheadSlots slots, int n) throws InterruptedException {
        for (int i = 0; i < 500 && slots.waiting() != n; i++) {
            Thread.sleep(10);
        }
        assertThat(slots.waiting()).isEqualTo(n);
    }

    @Test
    void aCallOverTheLimitWaitsForAFreedSlotInsteadOfFailing() throws Exception {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 1, Duration.ofMinutes(1));
        slots.acquire();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(slots::acquire);
        awaitWaiting(slots, 1);
        assertThat(waiter).isNotDone();
        slots.release();
        waiter.get(30, TimeUnit.SECONDS);
        assertThat(slots.waiting()).isZero();
        slots.release();
    }

    @Test
    void beyondTheQueueACallIsRefusedAtOnce() throws Exception {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 1, Duration.ofMinutes(1));
        slots.acquire();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(slots::acquire);
        awaitWaiting(slots, 1);
        assertThatThrownBy(slots::acquire).isInstanceOf(BulkheadException.class).hasMessageContaining("waiting");
        slots.release();
        waiter.get(30, TimeUnit.SECONDS);
        slots.release();
    }

    @Test
    void aWaiterGivesUpAfterTheWaitAndTheSlotCountStaysRight() {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 4, Duration.ofMillis(20));
        slots.acquire();
        assertThatThrownBy(slots::acquire).isInstanceOf(BulkheadException.class).hasMessageContaining("no slot free");
        assertThat(slots.waiting()).isZero();
        slots.release();
        slots.acquire(); // the slot given back is usable
        slots.release();
    }

    @Test
    void withoutAQueueAFullBulkheadRefusesAtOnce() {
        BulkheadSlots slots = new BulkheadSlots("test", 2, 0, Duration.ofMinutes(1));
        slots.acquire();
        slots.acquire();
        assertThatThrownBy(slots::acquire).isInstanceOf(BulkheadException.class);
    }

    @Test
    void anAsyncCallerWaitsWithoutAThreadAndGetsTheReleasedSlot() throws Exception {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 1, Duration.ofMinutes(1));
        assertThat(slots.acquireAsync().toCompletableFuture()).isCompleted();
        CompletableFuture<Void> waiter = slots.acquireAsync().toCompletableFuture();
        assertThat(waiter).isNotDone();
        assertThat(slots.waiting()).isEqualTo(1);
        slots.release(); // handed to the waiter, not back to the pool
        waiter.get(30, TimeUnit.SECONDS);
        assertThat(slots.waiting()).isZero();
        CompletableFuture<Void> next = slots.acquireAsync().toCompletableFuture();
        assertThat(next).isNotDone(); // the one slot is the first waiter's now
        slots.release();
        assertThat(next).isCompleted();
        slots.release();
    }

    @Test
    void beyondTheQueueAnAsyncCallIsRefusedAtOnce() {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 1, Duration.ofMinutes(1));
        slots.acquireAsync();
        CompletableFuture<Void> queued = slots.acquireAsync().toCompletableFuture();
        CompletableFuture<Void> refused = slots.acquireAsync().toCompletableFuture();
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join)
                .hasCauseInstanceOf(BulkheadException.class)
                .hasMessageContaining("waiting");
        assertThat(queued).isNotDone();
        slots.release();
        assertThat(queued).isCompleted();
        slots.release();
    }

    @Test
    void anAsyncWaiterGivesUpAfterTheWaitAndTheSlotCountStaysRight() throws Exception {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 4, Duration.ofMillis(20));
        slots.acquire();
        CompletableFuture<Void> waiter = slots.acquireAsync().toCompletableFuture();
        assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(BulkheadException.class)
                .hasMessageContaining("no slot free");
        assertThat(slots.waiting()).isZero();
        slots.release(); // no waiter left: back to the pool
        assertThat(slots.acquireAsync().toCompletableFuture()).isCompleted();
        slots.release();
    }

    @Test
    void queuedAsyncWaitersAllGiveUpAfterTheWaitWithoutATimerEachAndTheSlotGoesBackToThePool() throws Exception {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 8, Duration.ofMillis(30));
        slots.acquire();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(slots.acquireAsync().toCompletableFuture());
        }
        for (CompletableFuture<Void> waiter : waiters) {
            assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(BulkheadException.class)
                    .hasMessageContaining("no slot free within 30 ms");
        }
        assertThat(slots.waiting()).isZero();
        slots.release(); // nobody waits any more: the slot is the pool's again
        assertThat(slots.acquireAsync().toCompletableFuture()).isCompleted();
        slots.release();
    }

    @Test
    void aWaiterJoiningAfterEarlierOnesGaveUpIsStillRefusedWhenItsOwnWaitRunsOut() throws Exception {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 4, Duration.ofMillis(30));
        slots.acquire();
        CompletableFuture<Void> first = slots.acquireAsync().toCompletableFuture();
        assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(BulkheadException.class);
        // the queue ran empty once; the next waiter gets a sweep of its own
        CompletableFuture<Void> second = slots.acquireAsync().toCompletableFuture();
        assertThatThrownBy(() -> second.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(BulkheadException.class)
                .hasMessageContaining("no slot free");
        assertThat(slots.waiting()).isZero();
        slots.release();
    }

    @Test
    void aWaiterServedInTimeKeepsItsSlotAfterItsDeadlinePassesAndTheNextOneIsServedInOrder() throws Exception {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 4, Duration.ofMillis(200));
        slots.acquire();
        CompletableFuture<Void> first = slots.acquireAsync().toCompletableFuture();
        CompletableFuture<Void> second = slots.acquireAsync().toCompletableFuture();
        slots.release(); // to the oldest waiter
        assertThat(first).isCompleted();
        assertThat(second).isNotDone();
        slots.release(); // the first one's slot, to the next waiter
        assertThat(second).isCompleted();
        // past both deadlines: the sweep finds nobody to refuse, the served waiters stay served
        Thread.sleep(400);
        assertThat(first).isCompletedWithValue(null);
        assertThat(second).isCompletedWithValue(null);
        assertThat(slots.waiting()).isZero();
        slots.release();
        assertThat(slots.acquireAsync().toCompletableFuture()).isCompleted();
        slots.release();
    }

    @Test
    void aCancelledWaiterLeavesTheQueueAndTheReleasedSlotGoesToTheNextOne() throws Exception {
        BulkheadSlots slots = new BulkheadSlots("test", 1, 4, Duration.ofMinutes(1));
        slots.acquire();
        CompletableFuture<Void> gone = slots.acquireAsync().toCompletableFuture();
        CompletableFuture<Void> next = slots.acquireAsync().toCompletableFuture();
        gone.cancel(false);
        assertThat(slots.waiting()).isEqualTo(1);
        slots.release();
        assertThat(next).isCompleted();
        slots.release();
        assertThat(slots.acquireAsync().toCompletableFuture()).isCompleted();
        slots.release();
    }
}
