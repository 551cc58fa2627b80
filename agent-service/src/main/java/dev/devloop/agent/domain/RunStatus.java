package dev.devloop.agent.domain;

/** States of a run; the last five are terminal. */
public enum RunStatus {
  QUEUED,
  RUNNING,
  COMPLETED,
  FAILED,
  GUARDRAIL_BLOCKED,
  TRIPPED,
  CANCELLED;

  public boolean isTerminal() {
    return this != QUEUED && this != RUNNING;
  }
}
