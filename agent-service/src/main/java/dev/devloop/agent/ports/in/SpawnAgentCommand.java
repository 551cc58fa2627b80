package dev.devloop.agent.ports.in;

/** Spawn an agent of {@code type}, under {@code parentId} when given. */
public record SpawnAgentCommand(String tenant, String type, String parentId) {
    public SpawnAgentCommand {
        if (tenant == null || tenant.isBlank()) {
            throw new InvalidRunRequestException("tenant", "tenant is required");
        }
        if (type == null || type.isBlank()) {
            throw new InvalidRunRequestException("type", "type is required");
        }
    }
}
