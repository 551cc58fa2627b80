package dev.devloop.agent.ports.in;

/** A task that arrived as an event: {@code taskId} is the event id and makes redeliveries duplicates. */
public record SubmitTaskCommand(String tenant, String taskId, String agentRef, String input, String traceId) {
    public SubmitTaskCommand {
        if (tenant == null || tenant.isBlank()) {
            throw new InvalidRunRequestException("tenant", "tenant is required");
        }
        if (taskId == null || taskId.isBlank()) {
            throw new InvalidRunRequestException("id", "task id is required");
        }
        if (agentRef == null || agentRef.isBlank()) {
            throw new InvalidRunRequestException("agentType", "agentType or agentId is required");
        }
        if (input == null || input.isBlank()) {
            throw new InvalidRunRequestException("input", "input is required");
        }
    }
}
