package dev.devloop.agent.support;

import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.safety.GuardrailDecision;
import dev.devloop.agent.domain.safety.Trip;
import dev.devloop.agent.ports.out.SafetyEventsPort;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the loop announced. */
public class RecordingSafety implements SafetyEventsPort {
    public final List<GuardrailDecision> violations = new CopyOnWriteArrayList<>();
    public final List<Trip> trips = new CopyOnWriteArrayList<>();

    @Override
    public void guardrailViolated(Run run, GuardrailDecision decision) {
        violations.add(decision);
    }

    @Override
    public void tripped(Run run, Trip trip) {
        trips.add(trip);
    }
}
