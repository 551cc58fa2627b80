package dev.devloop.agent.adapters.in.scheduler;

import dev.devloop.agent.config.AgentServiceConfig;
import dev.devloop.agent.ports.in.SystemHealthUseCase;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs a System Health Agent check on a schedule, when {@code devloop.agent.system-health.schedule-enabled}. */
@ApplicationScoped
class SystemHealthJob {
    private final SystemHealthUseCase health;
    private final AgentServiceConfig config;

    SystemHealthJob(SystemHealthUseCase health, AgentServiceConfig config) {
        this.health = health;
        this.config = config;
    }

    @Scheduled(
            every = "${devloop.agent.system-health.schedule-every:5m}",
            delay = 30,
            delayUnit = java.util.concurrent.TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (!config.systemHealth().scheduleEnabled()) {
            return;
        }
        try {
            SystemHealthUseCase.Report report = health.check(new SystemHealthUseCase.CheckCommand(
                    config.systemHealth().scheduleTenant(), "scheduled check", null, null));
            Log.infof(
                    "scheduled system health check %s: %d components, %d diagnosed",
                    report.checkId(),
                    report.components().size(),
                    report.diagnoses().size());
        } catch (RuntimeException e) {
            Log.warnf("scheduled system health check failed: %s", e.getMessage());
        }
    }
}
