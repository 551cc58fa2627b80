package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.ports.out.ToolPort;
import dev.devloop.agent.support.RecordingTools;
import dev.devloop.agent.support.ScriptedModel;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * In-process stand-ins for the model and tool ports, so these tests exercise agent-service's own REST,
 * MongoDB and Kafka adapters; the real provider-gateway and tool-service hops are the scenarios' job.
 */
final class TestPorts {

    @Mock
    @ApplicationScoped
    static class Model extends ScriptedModel {}

    @Mock
    @ApplicationScoped
    static class Tools extends RecordingTools {
        /** A test may answer with another stand-in (tool-service's real grants: {@code GrantedTools}) until reset. */
        private volatile ToolPort instead;

        Tools() {
            super(List.of(
                    "assistant", "gated_writer", "guard_block", "guard_warn", "guard_log", "versioned", "gated_ender"));
        }

        void use(ToolPort other) {
            instead = other;
        }

        @Override
        public void reset() {
            super.reset();
            instead = null;
        }

        @Override
        public List<ToolSpec> specsFor(String tenant, String agentType) {
            ToolPort other = instead;
            return other != null ? other.specsFor(tenant, agentType) : super.specsFor(tenant, agentType);
        }

        @Override
        public java.util.OptionalInt maxCallsPerRun(String tenant, String toolId) {
            ToolPort other = instead;
            return other != null ? other.maxCallsPerRun(tenant, toolId) : super.maxCallsPerRun(tenant, toolId);
        }

        @Override
        public boolean writesGraph(String tenant, String toolId) {
            ToolPort other = instead;
            return other != null ? other.writesGraph(tenant, toolId) : super.writesGraph(tenant, toolId);
        }

        @Override
        public boolean enabled(String tenant, String toolId) {
            ToolPort other = instead;
            return other != null ? other.enabled(tenant, toolId) : super.enabled(tenant, toolId);
        }

        @Override
        public ToolInvocationResult invoke(String tenant, String toolId, ToolInvocationRequest request) {
            ToolPort other = instead;
            return other != null ? other.invoke(tenant, toolId, request) : super.invoke(tenant, toolId, request);
        }
    }

    private TestPorts() {}
}
