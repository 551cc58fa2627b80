package dev.devloop.gateway.adapters.out.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
}
