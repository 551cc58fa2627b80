package dev.devloop.agent.application;

import static dev.devloop.agent.application.ToolArguments.JSON;
import static dev.devloop.agent.application.ToolArguments.object;
import static dev.devloop.agent.application.ToolArguments.refused;
import static dev.devloop.agent.application.ToolArguments.requireSpawner;
import static dev.devloop.agent.application.ToolArguments.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Run;
import dev.devloop.contracts.provider.ToolSpec;
import java.util.List;
import java.util.Optional;

/** {@code retire_agent {agentId}}: retires one of the caller's descendants (anything else: 403) and its subtree. */
final class RetireAgentTool implements OrchestrationTool {
    private final AgentHierarchyService hierarchy;

    RetireAgentTool(AgentHierarchyService hierarchy) {
        this.hierarchy = hierarchy;
    }

    @Override
    public String name() {
        return OrchestrationTools.RETIRE;
    }

    @Override
    public Optional<ToolSpec> specFor(AgentDefinition d) {
        if (!d.canSpawn()) {
            return Optional.empty();
        }
        ObjectNode retire = object();
        retire.with("properties")
                .putObject("agentId")
                .put("type", "string")
                .put("description", "id of one of your descendants; its own subtree is retired with it");
        retire.putArray("required").add("agentId");
        return Optional.of(new ToolSpec(name(), "Retire one of your descendant agents and its whole subtree.", retire));
    }

    @Override
    public ObjectNode execute(Run run, AgentDefinition d, JsonNode args, String key) {
        requireSpawner(d, name());
        String target = text(args, "agentId", true, 128);
        if (!hierarchy.isDescendant(run.tenant(), target, run.agentId())) {
            throw refused(403, "agent '" + target + "' is not one of your descendants");
        }
        List<Agent> retired = hierarchy.retire(run.tenant(), target);
        ObjectNode out = JSON.createObjectNode().put("agentId", target);
        ArrayNode ids = out.putArray("retired");
        retired.forEach(a -> ids.add(a.id()));
        return out;
    }
}
