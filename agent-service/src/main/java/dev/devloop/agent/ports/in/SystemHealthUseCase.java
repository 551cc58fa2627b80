package dev.devloop.agent.ports.in;

import dev.devloop.agent.domain.ComponentHealth;
import java.time.Instant;
import java.util.List;

/** Incoming port: one System Health Agent check over the Devloop components. */
public interface SystemHealthUseCase {

    /** A check: an optional issue description and, optionally, only some of the configured components. */
    record CheckCommand(String tenant, String issue, List<String> components, String traceId) {
        public CheckCommand {
            if (tenant == null || tenant.isBlank()) {
                throw new InvalidRunRequestException("tenant", "tenant is required");
            }
            components = components == null ? List.of() : List.copyOf(components);
        }
    }

    /** What a diagnostic child and its repair micro agent concluded for one unhealthy component. */
    record Diagnosis(
            String component,
            String diagnosticAgentId,
            String diagnosticRunId,
            String diagnosticStatus,
            String diagnosis,
            String repairAgentId,
            String repairRunId,
            String repairStatus,
            String repair) {}

    /** The report a check ends with. */
    record Report(
            String checkId,
            String tenant,
            String agentId,
            String issue,
            List<ComponentHealth> components,
            List<Diagnosis> diagnoses,
            String report,
            List<String> retiredAgentIds,
            Instant startedAt,
            Instant completedAt) {}

    Report check(CheckCommand command);
}
