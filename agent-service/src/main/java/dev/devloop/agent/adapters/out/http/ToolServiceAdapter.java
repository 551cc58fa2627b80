package dev.devloop.agent.adapters.out.http;

import dev.devloop.agent.ports.out.ToolPort;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.contracts.tools.ToolInvocationRequest;
import dev.devloop.contracts.tools.ToolInvocationResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Outbound adapter: the tool port served by tool-service. */
@ApplicationScoped
class ToolServiceAdapter implements ToolPort {
  private final ToolServiceCalls calls;

  ToolServiceAdapter(ToolServiceCalls calls) {
    this.calls = calls;
  }

  @Override
  public List<ToolSpec> specsFor(String tenant, String agentType) {
    return DownstreamErrors.guarded(ToolServiceCalls.SERVICE, () -> calls.specs(tenant, agentType));
  }

  @Override
  public ToolInvocationResult invoke(String tenant, String toolId, ToolInvocationRequest request) {
    return DownstreamErrors.guarded(ToolServiceCalls.SERVICE, () -> calls.invoke(tenant, toolId, request));
  }
}
