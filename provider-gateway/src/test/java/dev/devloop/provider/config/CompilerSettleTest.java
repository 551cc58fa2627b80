package dev.devloop.provider.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CompilerSettleTest {
    /** A clock that only moves when the settle sleeps; the compilers' time follows a script per window. */
    private static final class Scripted {
        final AtomicLong nanos = new AtomicLong();
        final AtomicLong compileMs = new AtomicLong();
        final List<Long> growthPerWindow;
        final List<Long> sleeps = new ArrayList<>();
        int window;

        Scripted(List<Long> growthPerWindow) {
            this.growthPerWindow = growthPerWindow;
        }

        CompilerSettle settle() {
            return new CompilerSettle(compileMs::get, nanos::get, ms -> {
                sleeps.add(ms);
                nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
                long growth = window < growthPerWindow.size()
                        ? growthPerWindow.get(window)
                        : growthPerWindow.get(growthPerWindow.size() - 1);
                window++;
                compileMs.addAndGet(growth);
            });
        }
    }

    @Test
    void returnsAtTheFirstQuietWindow() throws InterruptedException {
        // two compiler threads busy for three windows, then 10 ms of compiling in a 250 ms window
        Scripted jit = new Scripted(List.of(500L, 480L, 300L, 10L, 400L));

        CompilerSettle.Outcome outcome = jit.settle().await(Duration.ofSeconds(6));

        assertThat(outcome.quiet()).isTrue();
        assertThat(outcome.waitedMs()).isEqualTo(4 * CompilerSettle.WINDOW.toMillis());
        assertThat(jit.sleeps).hasSize(4);
    }

    @Test
    void givesUpAtTheBoundWhileTheCompilersStayBusy() throws InterruptedException {
        Scripted jit = new Scripted(List.of(400L));

        CompilerSettle.Outcome outcome = jit.settle().await(Duration.ofMillis(1_100));

        assertThat(outcome.quiet()).isFalse();
        assertThat(outcome.waitedMs()).isEqualTo(1_100);
        // four whole windows, then only what was left of the bound
        assertThat(jit.sleeps).containsExactly(250L, 250L, 250L, 250L, 100L);
    }

    @Test
    void aWindowAtTheIdleShareCountsAsQuiet() throws InterruptedException {
        long budget = Math.round(CompilerSettle.WINDOW.toMillis() * CompilerSettle.IDLE_SHARE);
        Scripted jit = new Scripted(List.of(budget + 1, budget));

        CompilerSettle.Outcome outcome = jit.settle().await(Duration.ofSeconds(6));

        assertThat(outcome.quiet()).isTrue();
        assertThat(jit.sleeps).hasSize(2);
    }

    @Test
    void aZeroBoundDoesNotWait() throws InterruptedException {
        Scripted jit = new Scripted(List.of(400L));

        CompilerSettle.Outcome outcome = jit.settle().await(Duration.ZERO);

        assertThat(outcome).isEqualTo(CompilerSettle.Outcome.SKIPPED);
        assertThat(jit.sleeps).isEmpty();
    }

    @Test
    void thisJvmsCompilersAreObservable() throws InterruptedException {
        // HotSpot reports its compilers' time; the settle over the real bean ends, quiet or at its bound
        CompilerSettle settle = CompilerSettle.ofThisJvm().orElseThrow();

        CompilerSettle.Outcome outcome = settle.await(Duration.ofSeconds(2));

        assertThat(outcome).isNotEqualTo(CompilerSettle.Outcome.SKIPPED);
        assertThat(outcome.waitedMs()).isPositive();
    }
}
