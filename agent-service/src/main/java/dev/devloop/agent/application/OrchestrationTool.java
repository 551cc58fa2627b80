package dev.devloop.agent.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Run;
import dev.devloop.contracts.provider.ToolSpec;
import java.util.Optional;

/**
 * One orchestration tool executed here (see {@link OrchestrationTools}, which offers and dispatches them): which
 * agent types may call it and with which spec, and what a call does. A refusal throws a
 * {@link dev.devloop.agent.ports.out.DownstreamException} with a 4xx status ({@link ToolArguments#refused}).
 */
interface OrchestrationTool {
    String name();

    /** The spec offered to agents of {@code definition}; empty when agents of that type may not call the tool. */
    Optional<ToolSpec> specFor(AgentDefinition definition);

    /**
     * Executes a call with its {@code arguments} (a JSON object) for {@code run}; {@code key} (run id / tool-call
     * id) keys whatever the call creates, so a resumed run repeating it changes nothing twice.
     */
    ObjectNode execute(Run run, AgentDefinition definition, JsonNode arguments, String key);
}
