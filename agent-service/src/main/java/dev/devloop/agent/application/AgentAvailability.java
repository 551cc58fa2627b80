package dev.devloop.agent.application;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLiveness;
import dev.devloop.agent.domain.InFlightRuns;
import dev.devloop.agent.ports.in.AgentAvailabilityUseCase;
import dev.devloop.agent.ports.in.AgentUnavailableException;
import dev.devloop.agent.ports.out.AgentDefinitionsPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Agent liveness from the runs store: an agent's heartbeat is the lease renewal of its runs in flight
 * (every step and every lease-keeper tick renews it); one whose oldest in-flight run has not renewed for
 * {@code staleAfter} (3 lease-renewal intervals) is unresponsive, one with {@code maxConcurrentRuns} in
 * flight overloaded. Work is never given to either.
 */
public final class AgentAvailability implements AgentAvailabilityUseCase {
    /** Every agent available: for services without a leasing run store (tests, benchmarks). */
    public static final AgentAvailability NONE =
            new AgentAvailability(null, null, Duration.ofDays(1), Clock.systemUTC());

    private final RunRepositoryPort runs;
    private final AgentDefinitionsPort definitions;
    private final Duration staleAfter;
    private final Clock clock;

    public AgentAvailability(
            RunRepositoryPort runs, AgentDefinitionsPort definitions, Duration staleAfter, Clock clock) {
        this.runs = runs;
        this.definitions = definitions;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    @Override
    public Map<String, AgentLiveness> liveness(String tenant, List<Agent> agents) {
        Map<String, AgentLiveness> out = new HashMap<>();
        if (agents.isEmpty()) {
            return out;
        }
        Map<String, InFlightRuns> inFlight = runs == null
                ? Map.of()
                : runs.inFlight(tenant, agents.stream().map(Agent::id).toList());
        Map<String, Integer> maxByType = new HashMap<>();
        java.time.Instant staleBefore = clock.instant().minus(staleAfter);
        for (Agent agent : agents) {
            if (!agent.isLive()) {
                continue;
            }
            InFlightRuns f = inFlight.get(agent.id());
            int max = maxByType.computeIfAbsent(
                    agent.type(),
                    type -> definitions == null
                            ? 0
                            : definitions
                                    .definition(tenant, type)
                                    .map(AgentDefinition::limits)
                                    .map(l -> l.maxConcurrentRuns())
                                    .orElse(0));
            out.put(
                    agent.id(),
                    f == null
                            ? AgentLiveness.of(0, null, null, max, staleBefore)
                            : AgentLiveness.of(f.count(), f.oldestHeartbeat(), f.latestHeartbeat(), max, staleBefore));
        }
        return out;
    }

    /** Refuses work for an agent that is unresponsive or overloaded. */
    public void requireAvailable(Agent agent) {
        AgentLiveness live = liveness(agent.tenant(), List.of(agent)).get(agent.id());
        if (live != null && !live.availability().takesWork()) {
            String state = live.availability().name().toLowerCase();
            throw new AgentUnavailableException(
                    state,
                    "agent '" + agent.id() + "' is " + state + " ("
                            + live.inFlightRuns() + " run(s) in flight"
                            + (live.heartbeatAt() == null ? "" : ", heartbeat " + live.heartbeatAt())
                            + "); give the work to another agent");
        }
    }
}
