package dev.devloop.gateway.adapters.out.http;

import dev.devloop.gateway.domain.CellRouting;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.ports.out.AgentServicePort;
import jakarta.enterprise.context.ApplicationScoped;

/** Outgoing adapter: agent-service of the tenant's cell over REST, through the guarded {@link AgentServiceCalls}. */
@ApplicationScoped
public class AgentServiceHttpAdapter implements AgentServicePort {
    private final AgentServiceCalls calls;
    private final CellRouting cells;

    public AgentServiceHttpAdapter(AgentServiceCalls calls, CellRouting cells) {
        this.calls = calls;
        this.cells = cells;
    }

    private String url(String tenant) {
        return cells.baseUrl(tenant, Service.AGENT);
    }

    @Override
    public DownstreamResponse startRun(
            String tenant, String subject, String agentRef, boolean waitForResult, byte[] body) {
        return waitForResult
                ? calls.startRunAndWait(url(tenant), tenant, subject, agentRef, body)
                : calls.startRunQueued(url(tenant), tenant, subject, agentRef, body);
    }

    @Override
    public DownstreamResponse getRun(String tenant, String subject, String runId) {
        return calls.getRun(url(tenant), tenant, subject, runId);
    }

    @Override
    public DownstreamResponse getAgent(String tenant, String subject, String agentId) {
        return calls.getAgent(url(tenant), tenant, subject, agentId);
    }
}
