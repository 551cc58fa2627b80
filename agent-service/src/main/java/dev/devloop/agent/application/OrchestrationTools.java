package dev.devloop.agent.application;

import static dev.devloop.agent.application.ToolArguments.JSON;
import static dev.devloop.agent.application.ToolArguments.refused;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.HierarchyViolation;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.in.HandoffUseCase;
import dev.devloop.agent.ports.in.InvalidRunRequestException;
import dev.devloop.agent.ports.in.UnknownAgentException;
import dev.devloop.agent.ports.out.FactsPort;
import dev.devloop.agent.ports.out.HealthEventsPort;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The orchestration tools, executed here when a model calls them — one class each: {@link SpawnAgentTool},
 * {@link CoordinateAgentsTool}, {@link MonitorChildrenTool}, {@link RetireAgentTool} (for types that may spawn),
 * {@link HandoffTool} (for types with handoff targets) and {@link UpdateHealthStatusTool} (for the health types).
 * This class offers them to the loop as its {@link LocalTools} and maps the refusals of the core (hierarchy rules,
 * unknown agents, bad arguments) to the tool's answer. Spawns are keyed by run and tool-call id and child runs by
 * the same key, so a resumed run that repeats a call gets the agents and runs the first attempt made.
 */
public final class OrchestrationTools implements LocalTools {
    public static final String SPAWN = "spawn_agent";
    public static final String HANDOFF = "handoff";
    public static final String COORDINATE = "coordinate_agents";
    public static final String MONITOR = "monitor_children";
    public static final String RETIRE = "retire_agent";
    public static final String HEALTH = "update_health_status";
    static final Set<String> NAMES = Set.of(SPAWN, HANDOFF, COORDINATE, MONITOR, RETIRE, HEALTH);
    /** The agent tools tool-service registers (kind {@code agent}); update_health_status is this service's own. */
    static final Set<String> REGISTERED = Set.of(SPAWN, HANDOFF, COORDINATE, MONITOR, RETIRE);
    /**
     * The tools of types that may spawn: granted by the definition itself (non-empty {@code allowedChildTypes}),
     * built-in or tenant-registered alike — tool-service's by-type-name grant does not limit them, it can only
     * switch them off for a tenant.
     */
    public static final Set<String> SPAWNING = Set.of(SPAWN, COORDINATE, MONITOR, RETIRE);

    /** Bounds and knobs of the orchestration tools. */
    public record Settings(
            int maxCoordinateTasks,
            int maxParallel,
            int maxInputChars,
            List<String> healthReporters,
            Duration healthFactTtl) {
        public Settings {
            if (maxCoordinateTasks < 1 || maxParallel < 1 || maxInputChars < 1) {
                throw new IllegalArgumentException("orchestration bounds must be positive");
            }
            healthReporters = List.copyOf(healthReporters);
        }
    }

    /** The tools by name, in the order they are offered. */
    private final Map<String, OrchestrationTool> tools = new LinkedHashMap<>();

    private final Clock clock;

    /**
     * The six tools. {@code childRuns} runs a task on a child to the end (the run service, which itself needs the
     * loop these tools belong to: the wiring hands in a lazy reference); {@code availability} refuses tasks for
     * unresponsive or overloaded descendants.
     */
    public OrchestrationTools(
            AgentHierarchyService hierarchy,
            HandoffUseCase handoffs,
            FactsPort facts,
            HealthEventsPort health,
            Executor executor,
            Settings settings,
            ChildRuns childRuns,
            AgentAvailability availability,
            Clock clock) {
        this.clock = clock;
        for (OrchestrationTool tool : List.of(
                new SpawnAgentTool(hierarchy, childRuns, settings.maxInputChars()),
                new CoordinateAgentsTool(
                        hierarchy,
                        childRuns,
                        availability,
                        executor,
                        settings.maxCoordinateTasks(),
                        settings.maxParallel(),
                        settings.maxInputChars()),
                new MonitorChildrenTool(hierarchy),
                new RetireAgentTool(hierarchy),
                new HandoffTool(handoffs, settings.maxInputChars()),
                new UpdateHealthStatusTool(
                        facts, health, settings.healthReporters(), settings.healthFactTtl(), clock))) {
            tools.put(tool.name(), tool);
        }
    }

    @Override
    public boolean handles(String tool) {
        return tools.containsKey(tool);
    }

    @Override
    public List<ToolSpec> specsFor(AgentDefinition d) {
        List<ToolSpec> specs = new ArrayList<>();
        for (OrchestrationTool tool : tools.values()) {
            tool.specFor(d).ifPresent(specs::add);
        }
        return specs;
    }

    @Override
    public ToolInvocationResult execute(Run run, AgentDefinition d, ToolCall call) {
        Instant started = clock.instant();
        JsonNode args =
                call.arguments() == null || call.arguments().isNull() ? JSON.createObjectNode() : call.arguments();
        if (!args.isObject()) {
            throw refused(400, "arguments must be a JSON object");
        }
        OrchestrationTool tool = tools.get(call.name());
        if (tool == null) {
            throw refused(404, "no local tool '" + call.name() + "'");
        }
        String key = run.id() + "/" + call.id();
        try {
            ObjectNode output = tool.execute(run, d, args, key);
            return new ToolInvocationResult(
                    "local:" + key,
                    call.name(),
                    ToolInvocationResult.SUCCEEDED,
                    output,
                    null,
                    Duration.between(started, clock.instant()).toMillis(),
                    false);
        } catch (HierarchyViolation e) {
            throw refused(409, e.getMessage() + " [rule: " + e.rule() + "]");
        } catch (UnknownAgentException e) {
            throw refused(404, e.getMessage());
        } catch (InvalidRunRequestException e) {
            throw refused(400, e.field() + ": " + e.getMessage());
        }
    }

    /** Reads the agents a local tool step spawned, from its recorded output. */
    static List<String> spawnedBy(String outputJson) {
        if (outputJson == null) {
            return List.of();
        }
        try {
            JsonNode ids = JSON.readTree(outputJson).path("spawnedAgentIds");
            List<String> out = new ArrayList<>();
            ids.forEach(id -> out.add(id.asText()));
            return out;
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
