package dev.devloop.provider.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TenantMemoTest {
    private static final long TTL = 2_000;

    @Test
    void onceStaleOneCallerReloadsWhileTheOthersKeepTheStaleValue() {
        TenantMemo<String> memo = new TenantMemo<>(TTL, 10);
        assertThat(memo.lookup("acme", 0)).isNull(); // nothing yet: load
        memo.remember("acme", "v1", 0);
        assertThat(memo.lookup("acme", TTL - 1)).isEqualTo("v1");

        assertThat(memo.lookup("acme", TTL)).isNull(); // expired: this caller reloads
        assertThat(memo.lookup("acme", TTL + 1)).isEqualTo("v1"); // the others do not wait for it
        assertThat(memo.lookup("acme", TTL + 2)).isEqualTo("v1");

        memo.remember("acme", "v2", TTL + 3);
        assertThat(memo.lookup("acme", TTL + 4)).isEqualTo("v2");
    }

    @Test
    void aValueTooStaleOrForgottenIsReadAgainByEveryCaller() {
        TenantMemo<String> memo = new TenantMemo<>(TTL, 10);
        memo.remember("acme", "v1", 0);
        assertThat(memo.lookup("acme", TTL)).isNull();
        assertThat(memo.lookup("acme", TTL * 5)).isNull(); // 4 × ttl past expiry: no longer served
        assertThat(memo.lookup("acme", TTL * 5 + 1)).isNull();

        memo.remember("acme", "v1", 0);
        memo.forget("acme");
        assertThat(memo.lookup("acme", 1)).isNull();
    }

    @Test
    void boundedAndOffWithAZeroTtl() {
        TenantMemo<String> memo = new TenantMemo<>(TTL, 2);
        memo.remember("a", "1", 0);
        memo.remember("b", "2", 0);
        memo.remember("c", "3", 0); // full: emptied first
        assertThat(memo.lookup("a", 1)).isNull();
        assertThat(memo.lookup("c", 1)).isEqualTo("3");

        TenantMemo<String> off = new TenantMemo<>(0, 2);
        off.remember("a", "1", 0);
        assertThat(off.lookup("a", 0)).isNull();
    }

    @Test
    void withABackgroundExecutorNoCallerWaitsForAReloadOfAStaleValue() {
        List<Runnable> queued = new ArrayList<>();
        TenantMemo<String> memo = new TenantMemo<String>(TTL, 10).withBackground(queued::add);
        AtomicLong now = new AtomicLong();
        AtomicInteger loads = new AtomicInteger();
        assertThat(memo.get("acme", now::get, t -> "v" + loads.incrementAndGet()))
                .isEqualTo("v1"); // nothing yet
        assertThat(queued).isEmpty();

        now.set(TTL); // stale: the reload is queued and this caller, the only one, keeps v1
        assertThat(memo.get("acme", now::get, t -> "v" + loads.incrementAndGet()))
                .isEqualTo("v1");
        assertThat(memo.get("acme", now::get, t -> "v" + loads.incrementAndGet()))
                .isEqualTo("v1");
        assertThat(queued).hasSize(1);
        assertThat(loads).hasValue(1);

        queued.get(0).run();
        assertThat(memo.get("acme", now::get, t -> "v" + loads.incrementAndGet()))
                .isEqualTo("v2");
    }

    @Test
    void aFullBackgroundQueueOrAFailedReloadFallsBackToTheCaller() {
        TenantMemo<String> full = new TenantMemo<String>(TTL, 10).withBackground(r -> {
            throw new RejectedExecutionException("full");
        });
        full.remember("acme", "v1", 0);
        assertThat(full.get("acme", () -> TTL, t -> "v2")).isEqualTo("v2");

        TenantMemo<String> failing = new TenantMemo<String>(TTL, 10).withBackground(Runnable::run);
        failing.remember("acme", "v1", 0);
        assertThat(failing.get("acme", () -> TTL, t -> {
                    throw new IllegalStateException("store down");
                }))
                .isEqualTo("v1");
        assertThat(failing.lookup("acme", TTL + 1)).isNull(); // forgotten: the next caller reads the store itself
    }

    @Test
    void concurrentFirstCallersOfATenantShareOneStoreRead() throws Exception {
        TenantMemo<String> memo = new TenantMemo<>(TTL, 10);
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch readStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(callers.submit(() -> memo.get("acme", () -> 0L, tenant -> {
                    reads.incrementAndGet();
                    readStarted.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "v1";
                })));
            }
            assertThat(readStarted.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // let the other callers arrive while the read is in flight
            release.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
            }
            assertThat(reads).hasValue(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aFailedFirstReadIsSeenByItsWaitersAndTheNextCallerReadsAgain() {
        TenantMemo<String> memo = new TenantMemo<>(TTL, 10);
        AtomicInteger reads = new AtomicInteger();
        try {
            memo.get("acme", () -> 0L, tenant -> {
                reads.incrementAndGet();
                throw new IllegalStateException("store down");
            });
        } catch (IllegalStateException expected) {
            // the caller sees the store's failure
        }
        assertThat(memo.get("acme", () -> 1L, tenant -> {
                    reads.incrementAndGet();
                    return "v1";
                }))
                .isEqualTo("v1");
        assertThat(reads).hasValue(2);
    }
}
