package dev.devloop.agent.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One task executed by one agent, with every step it took. */
public record Run(
    String id,
    String tenant,
    String agentId,
    String agentType,
    String input,
    RunStatus status,
    List<Step> steps,
    TokenUsage usage,
    String result,
    String error,
    Instant createdAt,
    Instant updatedAt,
    Instant completedAt,
    String traceId,
    String taskId,
    String cancelReason) {

  public static final String ID_PREFIX = "run_";

  /** A run nobody asked to cancel. */
  public Run(String id, String tenant, String agentId, String agentType, String input, RunStatus status,
      List<Step> steps, TokenUsage usage, String result, String error, Instant createdAt, Instant updatedAt,
      Instant completedAt, String traceId, String taskId) {
    this(id, tenant, agentId, agentType, input, status, steps, usage, result, error, createdAt, updatedAt,
        completedAt, traceId, taskId, null);
  }

  /** Whether a cancel was requested (the run may still be running until its loop reaches a step boundary). */
  public boolean cancelRequested() {
    return cancelReason != null;
  }

  /** The same run with a cancel requested for {@code reason}. */
  public Run withCancelRequest(String reason) {
    return new Run(id, tenant, agentId, agentType, input, status, steps, usage, result, error, createdAt, updatedAt,
        completedAt, traceId, taskId, reason);
  }

  public static Run start(String tenant, Agent agent, String input, String traceId, Instant now) {
    return new Run(ID_PREFIX + UUID.randomUUID(), tenant, agent.id(), agent.type(), input, RunStatus.RUNNING,
        List.of(), TokenUsage.ZERO, null, null, now, now, null, traceId, null);
  }

  /**
   * A run for a task that arrived as an event: its id derives from the tenant and the event id, so a
   * redelivered event maps to the same run and is recognised as a duplicate.
   */
  public static Run forTask(String tenant, String taskId, Agent agent, String input, String traceId, Instant now) {
    return new Run(idForTask(tenant, taskId), tenant, agent.id(), agent.type(), input, RunStatus.RUNNING, List.of(), TokenUsage.ZERO,
        null, null, now, now, null, traceId, taskId);
  }

  public static String idForTask(String tenant, String taskId) {
    return ID_PREFIX + UUID.nameUUIDFromBytes((tenant + "\u0000" + taskId).getBytes(StandardCharsets.UTF_8));
  }

  public Run finish(RunStatus terminal, String result, String error, TokenUsage totalUsage, List<Step> allSteps,
      Instant now) {
    if (!terminal.isTerminal()) {
      throw new IllegalArgumentException(terminal + " is not terminal");
    }
    return new Run(id, tenant, agentId, agentType, input, terminal, List.copyOf(allSteps), totalUsage, result,
        error, createdAt, now, now, traceId, taskId, cancelReason);
  }
}
