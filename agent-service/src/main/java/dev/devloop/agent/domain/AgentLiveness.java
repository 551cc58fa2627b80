package dev.devloop.agent.domain;

import java.time.Instant;

/**
 * Whether an agent can take work now: its runs in flight (RUNNING; a run awaiting approval holds no
 * worker), the oldest heartbeat among them (each run's lease renewal is its agent's heartbeat) and the
 * availability that follows.
 */
public record AgentLiveness(Availability availability, int inFlightRuns, Instant heartbeatAt) {

    /** {@code available} (nothing in flight), {@code busy}, {@code overloaded} (at its limit), {@code unresponsive}. */
    public enum Availability {
        AVAILABLE,
        BUSY,
        OVERLOADED,
        UNRESPONSIVE;

        /** Whether the planner may give the agent more work. */
        public boolean takesWork() {
            return this == AVAILABLE || this == BUSY;
        }
    }

    /**
     * The availability of an agent with {@code inFlight} runs whose oldest heartbeat is
     * {@code oldestHeartbeat}: unresponsive when that is before {@code staleBefore}, overloaded at
     * {@code maxConcurrentRuns} (0: no limit), else busy, or available with nothing in flight.
     */
    public static AgentLiveness of(
            int inFlight,
            Instant oldestHeartbeat,
            Instant latestHeartbeat,
            int maxConcurrentRuns,
            Instant staleBefore) {
        if (inFlight <= 0) {
            return new AgentLiveness(Availability.AVAILABLE, 0, null);
        }
        if (oldestHeartbeat != null && oldestHeartbeat.isBefore(staleBefore)) {
            return new AgentLiveness(Availability.UNRESPONSIVE, inFlight, oldestHeartbeat);
        }
        if (maxConcurrentRuns > 0 && inFlight >= maxConcurrentRuns) {
            return new AgentLiveness(Availability.OVERLOADED, inFlight, latestHeartbeat);
        }
        return new AgentLiveness(Availability.BUSY, inFlight, latestHeartbeat);
    }
}
