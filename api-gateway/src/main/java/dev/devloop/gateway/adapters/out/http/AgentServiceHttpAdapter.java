package dev.devloop.gateway.adapters.out.http;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.CellRouting;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.ports.out.AgentServicePort;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Outgoing adapter: agent-service of the tenant's cell over REST, through the guarded {@link AgentServiceCalls},
 * each call with a token signed for agent-service acting for the caller.
 */
@ApplicationScoped
public class AgentServiceHttpAdapter implements AgentServicePort {
    private final AgentServiceCalls calls;
    private final CellRouting cells;
    private final SiblingCredentials credentials;

    public AgentServiceHttpAdapter(AgentServiceCalls calls, CellRouting cells, SiblingCredentials credentials) {
        this.calls = calls;
        this.cells = cells;
        this.credentials = credentials;
    }

    private String url(Caller caller) {
        return cells.baseUrl(caller.tenant(), Service.AGENT);
    }

    private String authorization(Caller caller) {
        return credentials.authorization(Service.AGENT, caller);
    }

    @Override
    public DownstreamResponse startRun(Caller caller, String agentRef, boolean waitForResult, byte[] body) {
        String url = url(caller);
        String authorization = authorization(caller);
        return waitForResult
                ? calls.startRunAndWait(url, authorization, caller.tenant(), caller.subject(), agentRef, body)
                : calls.startRunQueued(url, authorization, caller.tenant(), caller.subject(), agentRef, body);
    }

    @Override
    public DownstreamResponse getRun(Caller caller, String runId) {
        return calls.getRun(url(caller), authorization(caller), caller.tenant(), caller.subject(), runId);
    }

    @Override
    public DownstreamResponse getAgent(Caller caller, String agentId) {
        return calls.getAgent(url(caller), authorization(caller), caller.tenant(), caller.subject(), agentId);
    }
}
