package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.safety.GuardrailDecision;
import dev.devloop.agent.domain.safety.Trip;

/** Outgoing port announcing guardrail violations and tripped wires (events and metrics). */
public interface SafetyEventsPort {
    void guardrailViolated(Run run, GuardrailDecision decision);

    void tripped(Run run, Trip trip);

    /** A violation under a {@code log} guardrail mode: only logged and counted, no step, no event. */
    default void guardrailLogged(Run run, GuardrailDecision decision) {}
}
