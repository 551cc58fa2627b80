package dev.devloop.agent.application;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.Run;

/**
 * Runs a task on an agent to the end, synchronously, under a run id derived from {@code key}: a
 * repeated call (a resumed parent) gets the run that already exists, waiting for it if it still runs.
 */
public interface ChildRuns {
    Run run(String tenant, Agent agent, String key, String input, String traceId);
}
