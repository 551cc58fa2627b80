package dev.devloop.agent.application;

import static dev.devloop.agent.application.ToolArguments.MAX_NAME;
import static dev.devloop.agent.application.ToolArguments.MAX_SCOPE;
import static dev.devloop.agent.application.ToolArguments.agentNode;
import static dev.devloop.agent.application.ToolArguments.object;
import static dev.devloop.agent.application.ToolArguments.requireSpawner;
import static dev.devloop.agent.application.ToolArguments.runNode;
import static dev.devloop.agent.application.ToolArguments.scope;
import static dev.devloop.agent.application.ToolArguments.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Run;
import dev.devloop.contracts.provider.ToolSpec;
import java.util.List;
import java.util.Optional;

/**
 * {@code spawn_agent {type, task?, tools?[]}}: spawns a child under the caller (hierarchy rules apply) with an
 * optional tool scope; with a task, runs it there at once and answers the run's result. The agent and its run
 * are keyed by the call, so a resumed run repeating it finds them.
 */
final class SpawnAgentTool implements OrchestrationTool {
    private final AgentHierarchyService hierarchy;
    private final ChildRuns childRuns;
    private final int maxInputChars;

    SpawnAgentTool(AgentHierarchyService hierarchy, ChildRuns childRuns, int maxInputChars) {
        this.hierarchy = hierarchy;
        this.childRuns = childRuns;
        this.maxInputChars = maxInputChars;
    }

    @Override
    public String name() {
        return OrchestrationTools.SPAWN;
    }

    @Override
    public Optional<ToolSpec> specFor(AgentDefinition d) {
        if (!d.canSpawn()) {
            return Optional.empty();
        }
        ObjectNode p = object();
        ObjectNode props = p.with("properties");
        ArrayNode types = props.putObject("type").put("type", "string").putArray("enum");
        d.allowedChildTypes().forEach(types::add);
        props.putObject("task").put("type", "string").put("description", "optional: a task the child runs at once");
        props.putObject("tools")
                .put("type", "array")
                .put("maxItems", MAX_SCOPE)
                .put("description", "optional: the only tools the child may use (the narrowest that do the job)")
                .putObject("items")
                .put("type", "string");
        p.putArray("required").add("type");
        return Optional.of(
                new ToolSpec(name(), "Spawn a child agent under you (optionally run a task on it at once).", p));
    }

    @Override
    public ObjectNode execute(Run run, AgentDefinition d, JsonNode args, String key) {
        requireSpawner(d, name());
        String type = text(args, "type", true, MAX_NAME);
        List<String> scope = scope(args.path("tools"));
        String task = text(args, "task", false, maxInputChars);
        AgentHierarchyService.Spawned spawned = hierarchy.spawnKeyed(run.tenant(), type, run.agentId(), key, scope);
        ObjectNode out = agentNode(spawned.agent());
        out.putArray("spawnedAgentIds").add(spawned.agent().id());
        if (task != null) {
            out.set("run", runNode(childRuns.run(run.tenant(), spawned.agent(), key + "/run", task, run.traceId())));
        }
        return out;
    }
}
