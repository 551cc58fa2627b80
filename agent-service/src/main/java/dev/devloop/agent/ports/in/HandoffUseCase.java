package dev.devloop.agent.ports.in;

import dev.devloop.agent.domain.Handoff;
import java.util.Optional;

/** Incoming port: hand a task from one agent to a new agent of another type, and read handoffs back. */
public interface HandoffUseCase {
    /** Records the handoff, creates the target, runs the task there to the end and returns the outcome. */
    Handoff handoff(HandoffCommand command);

    Optional<Handoff> find(String tenant, String handoffId);
}
