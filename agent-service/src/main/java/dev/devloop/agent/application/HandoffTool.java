package dev.devloop.agent.application;

import static dev.devloop.agent.application.ToolArguments.JSON;
import static dev.devloop.agent.application.ToolArguments.MAX_NAME;
import static dev.devloop.agent.application.ToolArguments.object;
import static dev.devloop.agent.application.ToolArguments.refused;
import static dev.devloop.agent.application.ToolArguments.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Handoff;
import dev.devloop.agent.domain.Run;
import dev.devloop.agent.ports.in.HandoffCommand;
import dev.devloop.agent.ports.in.HandoffUseCase;
import dev.devloop.contracts.provider.ToolSpec;
import java.util.Optional;

/** {@code handoff {toAgentType, task, context?}}: the handoff protocol, to one of the type's handoff targets. */
final class HandoffTool implements OrchestrationTool {
    private final HandoffUseCase handoffs;
    private final int maxInputChars;

    HandoffTool(HandoffUseCase handoffs, int maxInputChars) {
        this.handoffs = handoffs;
        this.maxInputChars = maxInputChars;
    }

    @Override
    public String name() {
        return OrchestrationTools.HANDOFF;
    }

    @Override
    public Optional<ToolSpec> specFor(AgentDefinition d) {
        if (d.handoffTargets().isEmpty()) {
            return Optional.empty();
        }
        ObjectNode p = object();
        ObjectNode props = p.with("properties");
        ArrayNode types = props.putObject("toAgentType").put("type", "string").putArray("enum");
        d.handoffTargets().forEach(types::add);
        props.putObject("task").put("type", "string").put("description", "what the other agent should do");
        props.putObject("context").put("type", "string").put("description", "what it needs to know from you");
        p.putArray("required").add("toAgentType").add("task");
        return Optional.of(new ToolSpec(name(), "Hand a task to a new agent of another type; returns its result.", p));
    }

    @Override
    public ObjectNode execute(Run run, AgentDefinition d, JsonNode args, String key) {
        String type = text(args, "toAgentType", true, MAX_NAME);
        if (!d.handoffTargets().contains(type)) {
            throw refused(403, d.type() + " may not hand off to " + type + " (allowed: " + d.handoffTargets() + ")");
        }
        Handoff h = handoffs.handoff(new HandoffCommand(
                run.tenant(),
                run.agentId(),
                type,
                text(args, "task", true, maxInputChars),
                text(args, "context", false, maxInputChars),
                key,
                run.traceId()));
        ObjectNode out = JSON.createObjectNode()
                .put("handoffId", h.id())
                .put("targetAgentId", h.toAgentId())
                .put("toAgentType", h.toAgentType())
                .put("runId", h.runId())
                .put("status", h.status() == null ? null : h.status().name())
                .put("result", h.result());
        if (h.error() != null) {
            out.put("error", h.error());
        }
        return out;
    }
}
