package dev.devloop.agent.application;

import static dev.devloop.agent.application.ToolArguments.JSON;
import static dev.devloop.agent.application.ToolArguments.agentNode;
import static dev.devloop.agent.application.ToolArguments.object;
import static dev.devloop.agent.application.ToolArguments.requireSpawner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentTree;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.in.UnknownAgentException;
import dev.devloop.contracts.provider.ToolSpec;
import java.util.Optional;

/** {@code monitor_children {}}: the caller's children (id, type, status, descendants) and live/total counts. */
final class MonitorChildrenTool implements OrchestrationTool {
    private final AgentHierarchyService hierarchy;

    MonitorChildrenTool(AgentHierarchyService hierarchy) {
        this.hierarchy = hierarchy;
    }

    @Override
    public String name() {
        return OrchestrationTools.MONITOR;
    }

    @Override
    public Optional<ToolSpec> specFor(AgentDefinition d) {
        return d.canSpawn()
                ? Optional.of(new ToolSpec(
                        name(), "List your child agents with their status and how many children each has.", object()))
                : Optional.empty();
    }

    @Override
    public ObjectNode execute(Run run, AgentDefinition d, JsonNode args, String key) {
        requireSpawner(d, name());
        AgentTree tree = hierarchy
                .tree(run.tenant(), run.agentId())
                .orElseThrow(() -> new UnknownAgentException(run.agentId(), "no agent '" + run.agentId() + "'"));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode children = out.putArray("children");
        int live = 0;
        for (AgentTree child : tree.children()) {
            ObjectNode node = agentNode(child.agent());
            node.put("descendants", child.size() - 1);
            children.add(node);
            live += child.agent().isLive() ? 1 : 0;
        }
        out.put("live", live).put("total", tree.children().size());
        return out;
    }
}
