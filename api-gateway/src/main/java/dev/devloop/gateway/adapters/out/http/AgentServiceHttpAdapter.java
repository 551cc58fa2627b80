package dev.devloop.gateway.adapters.out.http;

import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.ports.out.AgentServicePort;
import jakarta.enterprise.context.ApplicationScoped;

/** Outgoing adapter: agent-service over REST, through the guarded {@link AgentServiceCalls}. */
@ApplicationScoped
public class AgentServiceHttpAdapter implements AgentServicePort {
  private final AgentServiceCalls calls;

  public AgentServiceHttpAdapter(AgentServiceCalls calls) {
    this.calls = calls;
  }

  @Override
  public DownstreamResponse startRun(String tenant, String agentRef, boolean waitForResult, byte[] body) {
    return waitForResult
        ? calls.startRunAndWait(tenant, agentRef, body)
        : calls.startRunQueued(tenant, agentRef, body);
  }

  @Override
  public DownstreamResponse getRun(String tenant, String runId) {
    return calls.getRun(tenant, runId);
  }

  @Override
  public DownstreamResponse getAgent(String tenant, String agentId) {
    return calls.getAgent(tenant, agentId);
  }
}
