package dev.devloop.agent.domain.safety;

/** A tripwire that fired, with what it does and why. */
public record Trip(TripwireKind kind, TripAction action, String reason) {
    public boolean stops() {
        return action == TripAction.STOP;
    }
}
