package dev.devloop.agent.adapters.out.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.agent.config.AgentServiceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The guard on graph side work (agent-tree mirror, fact events): a failing or hanging publish is skipped,
 * never thrown into the run, and after enough failures the breaker skips publishes without attempting them.
 * Each test builds its own guard (own breaker) with the service's configured bounds.
 */
@QuarkusTest
class GraphSideWorkTest {
    @Inject
    AgentServiceConfig config;

    @Test
    void failingSideWorkIsSkippedAndThenTheBreakerStopsTryingIt() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        GraphSideWork sideWork = new GraphSideWork(config, meters);
        AtomicInteger attempts = new AtomicInteger();
        for (int i = 0; i < config.sideWork().requestVolume(); i++) {
            boolean ran = sideWork.run("agent-lifecycle", () -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("the mirror's broker is down");
            });
            assertThat(ran).isFalse();
        }
        AtomicBoolean touched = new AtomicBoolean();
        assertThat(sideWork.run("agent-lifecycle", () -> touched.set(true))).isFalse();

        assertThat(attempts.get()).isEqualTo(config.sideWork().requestVolume());
        assertThat(touched)
                .as("the open breaker skips the work without attempting it")
                .isFalse();
        assertThat(meters.counter(
                                "devloop_agent_side_work_skipped_total", "work", "agent-lifecycle", "reason", "failed")
                        .count())
                .isEqualTo(config.sideWork().requestVolume());
        assertThat(meters.counter(
                                "devloop_agent_side_work_skipped_total",
                                "work",
                                "agent-lifecycle",
                                "reason",
                                "circuit-open")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void hangingSideWorkIsCutOffByItsTimeBoundAndHealthySideWorkRuns() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        GraphSideWork sideWork = new GraphSideWork(config, meters);
        AtomicBoolean interrupted = new AtomicBoolean();

        boolean ran = sideWork.run("knowledge-facts", () -> {
            try {
                Thread.sleep(60_000); // a publish that never returns
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });

        assertThat(ran).isFalse();
        assertThat(interrupted)
                .as("the hanging publish was cut off, not waited for")
                .isTrue();
        assertThat(meters.counter(
                                "devloop_agent_side_work_skipped_total", "work", "knowledge-facts", "reason", "timeout")
                        .count())
                .isEqualTo(1);
        AtomicBoolean published = new AtomicBoolean();
        assertThat(sideWork.run("knowledge-facts", () -> published.set(true))).isTrue();
        assertThat(published).isTrue();
        assertThat(Thread.currentThread().isInterrupted())
                .as("the caller's thread is left clean")
                .isFalse();
    }
}
