package dev.devloop.agent.ports.in;

/** Run {@code input} on an existing agent (ref = agent id) or on a new agent of a type (ref = type). */
public record StartRunCommand(String tenant, String agentRef, String input, String traceId) {
    public StartRunCommand {
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("tenant is required");
        }
        if (agentRef == null || agentRef.isBlank()) {
            throw new IllegalArgumentException("agent reference is required");
        }
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("input is required");
        }
    }
}
