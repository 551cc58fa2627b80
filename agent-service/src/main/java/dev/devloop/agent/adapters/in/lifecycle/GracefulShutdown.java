package dev.devloop.agent.adapters.in.lifecycle;

import dev.devloop.agent.application.RunAgentService;
import dev.devloop.agent.config.AgentServiceConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * On SIGTERM (Quarkus shutdown) stops taking work and hands over the runs this replica holds: recovery takes
 * nothing more, every run in flight stops at its next step boundary (all its steps persisted, still RUNNING)
 * and its lease is released, so another replica's recovery resumes it at once rather than a lease later. Runs
 * still inside a long model or tool call when {@code devloop.agent.shutdown-grace} ends get their leases
 * released too. Observed early (priority 1), before the stores and the lease timer close.
 */
@ApplicationScoped
class GracefulShutdown {
    private final RunAgentService runs;
    private final AgentServiceConfig config;

    GracefulShutdown(RunAgentService runs, AgentServiceConfig config) {
        this.runs = runs;
        this.config = config;
    }

    void onStop(@Observes @Priority(1) ShutdownEvent stop) {
        try {
            int left = runs.drain(config.shutdownGrace());
            Log.infof("graceful shutdown: runs handed over (%d still inside a call when the grace ended)", left);
        } catch (RuntimeException e) {
            // the store may be gone already: the leases then lapse on their own
            Log.warnf("graceful shutdown could not release the run leases: %s", e.getMessage());
        }
    }
}
