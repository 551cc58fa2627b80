package dev.devloop.agent.support;

import dev.devloop.agent.application.AgentAvailability;
import dev.devloop.agent.application.AgentHierarchyService;
import dev.devloop.agent.application.AgentLoop;
import dev.devloop.agent.application.LoopSettings;
import dev.devloop.agent.application.RunAgentService;
import dev.devloop.agent.application.ShutdownSignal;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentLevel;
import dev.devloop.agent.domain.AgentLimits;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.out.LifecyclePublisherPort;
import dev.devloop.agent.ports.out.RunRepositoryPort;
import dev.devloop.agent.ports.out.StoreRetryPort;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;

/** The agent definition, the stored fresh run and the run use case that the loop's tests start from. */
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

    /**
     * The run use case as the service wires it, over in-memory agents: no approvals, no availability gate, no store
     * retries, test loop settings (10 s model call, 25 turns).
     */
    public static RunAgentService service(
            InMemoryAgents agents,
            RunRepositoryPort runs,
            LifecyclePublisherPort lifecycle,
            AgentHierarchyService hierarchy,
            AgentLoop loop,
            Executor background,
            Clock clock) {
        return new RunAgentService(
                agents,
                agents,
                runs,
                lifecycle,
                new Recorders.Results(),
                hierarchy,
                loop,
                new LoopSettings(10_000, 25, 4_000, 4, 0),
                background,
                clock,
                AgentAvailability.NONE,
                null,
                StoreRetryPort.NONE,
                new ShutdownSignal());
    }
}
