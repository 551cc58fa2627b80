package dev.devloop.agent.ports.in;

/**
 * Hand {@code task} (with optional {@code context}) from agent {@code fromAgentId} to a new agent of
 * {@code toAgentType}. {@code key}, when given, makes the handoff idempotent (a tool call's id).
 */
public record HandoffCommand(
        String tenant,
        String fromAgentId,
        String toAgentType,
        String task,
        String context,
        String key,
        String traceId) {
    public static final int MAX_TYPE_CHARS = 64;

    public HandoffCommand {
        if (tenant == null || tenant.isBlank()) {
            throw new InvalidRunRequestException("tenant", "tenant is required");
        }
        if (fromAgentId == null || fromAgentId.isBlank()) {
            throw new InvalidRunRequestException("agentId", "the handing-off agent id is required");
        }
        if (toAgentType == null || toAgentType.isBlank() || toAgentType.length() > MAX_TYPE_CHARS) {
            throw new InvalidRunRequestException("toAgentType", "toAgentType is required (at most 64 characters)");
        }
        if (task == null || task.isBlank()) {
            throw new InvalidRunRequestException("task", "task is required");
        }
    }
}
