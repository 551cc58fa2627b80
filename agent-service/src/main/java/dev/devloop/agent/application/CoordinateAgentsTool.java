package dev.devloop.agent.application;

import static dev.devloop.agent.application.ToolArguments.JSON;
import static dev.devloop.agent.application.ToolArguments.MAX_NAME;
import static dev.devloop.agent.application.ToolArguments.object;
import static dev.devloop.agent.application.ToolArguments.refused;
import static dev.devloop.agent.application.ToolArguments.requireSpawner;
import static dev.devloop.agent.application.ToolArguments.runNode;
import static dev.devloop.agent.application.ToolArguments.scope;
import static dev.devloop.agent.application.ToolArguments.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.domain.RunStatus;
import dev.devloop.agent.ports.in.AgentUnavailableException;
import dev.devloop.contracts.provider.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@code coordinate_agents {tasks: [{agentType | agentId, input, tools?}]}}: spawns the new children in order
 * (so the hierarchy's limits apply deterministically), then runs every task in parallel (bounded) and answers the
 * results in order. An existing descendant must be live and available (not unresponsive, not overloaded).
 */
final class CoordinateAgentsTool implements OrchestrationTool {
    private final AgentHierarchyService hierarchy;
    private final ChildRuns childRuns;
    private final AgentAvailability availability;
    private final Executor executor;
    private final int maxTasks;
    private final int maxParallel;
    private final int maxInputChars;

    CoordinateAgentsTool(
            AgentHierarchyService hierarchy,
            ChildRuns childRuns,
            AgentAvailability availability,
            Executor executor,
            int maxTasks,
            int maxParallel,
            int maxInputChars) {
        this.hierarchy = hierarchy;
        this.childRuns = childRuns;
        this.availability = availability;
        this.executor = executor;
        this.maxTasks = maxTasks;
        this.maxParallel = maxParallel;
        this.maxInputChars = maxInputChars;
    }

    @Override
    public String name() {
        return OrchestrationTools.COORDINATE;
    }

    @Override
    public Optional<ToolSpec> specFor(AgentDefinition d) {
        if (!d.canSpawn()) {
            return Optional.empty();
        }
        ObjectNode p = object();
        ObjectNode items = p.with("properties")
                .putObject("tasks")
                .put("type", "array")
                .put("minItems", 1)
                .put("maxItems", maxTasks)
                .putObject("items")
                .put("type", "object");
        ObjectNode props = items.putObject("properties");
        ArrayNode types = props.putObject("agentType").put("type", "string").putArray("enum");
        d.allowedChildTypes().forEach(types::add);
        props.putObject("agentId")
                .put("type", "string")
                .put("description", "an existing descendant instead of a new child");
        props.putObject("input").put("type", "string");
        props.putObject("tools").put("type", "array").putObject("items").put("type", "string");
        items.putArray("required").add("input");
        p.putArray("required").add("tasks");
        return Optional.of(new ToolSpec(
                name(),
                "Run tasks on child agents in parallel (new children by agentType, or existing descendants by agentId) "
                        + "and gather their results in order.",
                p));
    }

    @Override
    public ObjectNode execute(Run run, AgentDefinition d, JsonNode args, String key) {
        requireSpawner(d, name());
        JsonNode tasks = args.path("tasks");
        if (!tasks.isArray() || tasks.isEmpty() || tasks.size() > maxTasks) {
            throw refused(400, "tasks must be an array of 1 to " + maxTasks + " tasks");
        }
        List<Assignment> assignments = new ArrayList<>();
        ArrayNode spawnedIds = JSON.createArrayNode();
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode t = tasks.get(i);
            String input = text(t, "input", true, maxInputChars);
            String agentId = text(t, "agentId", false, 128);
            Agent agent;
            if (agentId != null) {
                agent = existingDescendant(run, agentId);
            } else {
                String type = text(t, "agentType", true, MAX_NAME);
                agent = hierarchy
                        .spawnKeyed(run.tenant(), type, run.agentId(), key + "/" + i, scope(t.path("tools")))
                        .agent();
                spawnedIds.add(agent.id());
            }
            assignments.add(new Assignment(i, agent, input));
        }
        List<Run> results = Parallel.map(
                assignments,
                a -> {
                    try {
                        return childRuns.run(
                                run.tenant(), a.agent(), key + "/" + a.index() + "/run", a.input(), run.traceId());
                    } catch (AgentUnavailableException e) {
                        throw refused(409, e.getMessage()); // lost the race for the agent's last run slot
                    }
                },
                maxParallel,
                executor);
        ObjectNode out = JSON.createObjectNode();
        out.set("spawnedAgentIds", spawnedIds);
        ArrayNode list = out.putArray("results");
        int completed = 0;
        for (int i = 0; i < assignments.size(); i++) {
            Run r = results.get(i);
            ObjectNode item = runNode(r);
            item.put("index", i)
                    .put("agentId", assignments.get(i).agent().id())
                    .put("agentType", assignments.get(i).agent().type());
            list.add(item);
            completed += r.status() == RunStatus.COMPLETED ? 1 : 0;
        }
        out.put("completed", completed).put("notCompleted", assignments.size() - completed);
        return out;
    }

    private Agent existingDescendant(Run run, String agentId) {
        Agent agent = hierarchy
                .find(run.tenant(), agentId)
                .filter(a -> hierarchy.isDescendant(run.tenant(), a.id(), run.agentId()))
                .orElseThrow(() -> refused(403, "agent '" + agentId + "' is not one of your descendants"));
        if (!agent.isLive()) {
            throw refused(409, "agent '" + agentId + "' is " + agent.status());
        }
        try {
            availability.requireAvailable(agent);
        } catch (AgentUnavailableException e) {
            throw refused(409, e.getMessage());
        }
        return agent;
    }

    private record Assignment(int index, Agent agent, String input) {}
}
