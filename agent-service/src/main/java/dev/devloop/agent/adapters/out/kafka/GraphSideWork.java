package dev.devloop.agent.adapters.out.kafka;

import dev.devloop.agent.config.AgentServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;

/**
 * Side work that feeds the knowledge graph and never the run itself — the agent-tree mirror (lifecycle
 * events knowledge-service writes to Neo4j) and fact events — behind a time bound and a circuit breaker
 * (SmallRye Fault Tolerance, programmatic {@link Guard}): a publish that fails or hangs is skipped, never
 * thrown into the run, and once {@code side-work.failure-ratio} of the last {@code side-work.request-volume}
 * publishes failed the breaker skips them at once for {@code side-work.breaker-delay}, so runs that do not
 * need the graph keep their normal speed. Skips are counted in
 * {@code devloop_agent_side_work_skipped_total{work, reason}}.
 */
@ApplicationScoped
public class GraphSideWork {
    private final Guard guard;
    private final MeterRegistry metrics;

    GraphSideWork(AgentServiceConfig config, MeterRegistry metrics) {
        this.metrics = metrics;
        AgentServiceConfig.SideWork c = config.sideWork();
        this.guard = Guard.create()
                .withDescription("agent-tree mirror and fact events")
                .withTimeout()
                .duration(c.timeout().toMillis(), ChronoUnit.MILLIS)
                .done()
                .withCircuitBreaker()
                .requestVolumeThreshold(c.requestVolume())
                .failureRatio(c.failureRatio())
                .delay(c.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                .done()
                .build();
    }

    /** Runs {@code task}; returns whether it ran to the end (false: skipped, failed or timed out — logged, counted). */
    public boolean run(String work, Runnable task) {
        try {
            guard.get(
                    () -> {
                        task.run();
                        return Boolean.TRUE;
                    },
                    Boolean.class);
            return true;
        } catch (RuntimeException e) {
            String reason = e instanceof org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException
                    ? "circuit-open"
                    : e instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                            ? "timeout"
                            : "failed";
            metrics.counter("devloop_agent_side_work_skipped_total", "work", work, "reason", reason)
                    .increment();
            Log.debugf("side work %s skipped (%s): %s", work, reason, e.getMessage());
            return false;
        }
    }
}
