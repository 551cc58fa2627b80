package dev.devloop.agent.application;

import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.Run;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationResult;
import java.util.List;

/**
 * Tools executed inside agent-service rather than by tool-service (the {@code agent} kind: spawning,
 * handing off, coordinating, monitoring and retiring agents). A refused call throws a
 * {@link dev.devloop.agent.ports.out.DownstreamException} with a 4xx status (403 denied, 400/409 rejected),
 * which the loop records and explains to the model like a tool-service refusal.
 */
public interface LocalTools {
    boolean handles(String tool);

    /** The specs of the local tools agents of {@code definition} may call. */
    List<ToolSpec> specsFor(AgentDefinition definition);

    /** Executes {@code call}; idempotent per (run, call id), so a resumed run repeating it changes nothing twice. */
    ToolInvocationResult execute(Run run, AgentDefinition definition, ToolCall call);

    LocalTools NONE = new LocalTools() {
        @Override
        public boolean handles(String tool) {
            return false;
        }

        @Override
        public List<ToolSpec> specsFor(AgentDefinition definition) {
            return List.of();
        }

        @Override
        public ToolInvocationResult execute(Run run, AgentDefinition definition, ToolCall call) {
            throw new IllegalStateException("no local tools");
        }
    };
}
