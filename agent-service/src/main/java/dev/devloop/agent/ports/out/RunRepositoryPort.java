package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.Step;
import dev.devloop.agent.domain.TokenUsage;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing persistence port for runs. Steps are appended one by one so progress survives a crash;
 * a running run holds a lease that each step renews, and runs whose lease lapsed can be claimed.
 */
public interface RunRepositoryPort {
  void create(Run run);

  /** Creates the run unless one with its id exists; false means it is a duplicate. */
  boolean createIfAbsent(Run run);

  void appendStep(String tenant, String runId, Step step, TokenUsage totalUsage);

  void finish(Run run);

  Optional<Run> find(String tenant, String runId);

  /**
   * Records a cancel request on a RUNNING run that has none yet (atomically, so every replica's loop
   * sees it), and returns the run as stored afterwards; empty when the tenant has no such run.
   */
  Optional<Run> requestCancel(String tenant, String runId, String reason);

  /** The reason of a pending cancel request of the run, if one was made (read at every step boundary). */
  default Optional<String> cancelRequested(String tenant, String runId) {
    return find(tenant, runId).map(Run::cancelReason);
  }

  /**
   * Renews the lease of a RUNNING run this replica executes, without a step (its loop is waiting on a
   * child run); a run that ended is left alone.
   */
  default void renewLease(String tenant, String runId) {}

  /** Atomically takes over up to {@code max} running runs whose lease has lapsed (their runner died). */
  List<Run> claimAbandoned(int max);
}
