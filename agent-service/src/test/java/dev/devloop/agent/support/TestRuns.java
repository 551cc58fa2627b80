package dev.devloop.agent.support;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import java.time.Clock;
import java.util.List;

/** The agent definition and the stored fresh run that the loop's tests start from. */
public final class TestRuns {
    private TestRuns() {}

    /** A child agent type with a plain system prompt, no tools of its own and the given limits. */
    public static AgentDefinition definition(String type, AgentLimits limits) {
        return AgentDefinition.of(type, AgentLevel.CHILD, "d", "Be helpful.", List.of(), null, null, limits);
    }

    /** A run of a fresh agent of {@code definition} for {@code tenant}, created in {@code runs}. */
    public static Run started(RunRepositoryPort runs, String tenant, AgentDefinition definition, String input) {
        Agent agent = Agent.spawn(tenant, definition, null, Clock.systemUTC().instant());
        Run run = Run.start(tenant, agent, input, "trace", Clock.systemUTC().instant());
        runs.create(run);
        return run;
    }
}
