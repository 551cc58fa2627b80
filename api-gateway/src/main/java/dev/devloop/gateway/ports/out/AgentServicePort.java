package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;

/**
 * Outgoing port to agent-service; every call acts for exactly one caller: its tenant, subject and roles, carried
 * as the tenant and subject headers and a token signed for agent-service.
 */
public interface AgentServicePort {

    /** {@code POST /agents/{ref}/runs?wait=...} with the body as received. */
    DownstreamResponse startRun(Caller caller, String agentRef, boolean waitForResult, byte[] body);

    /** {@code GET /runs/{id}}. */
    DownstreamResponse getRun(Caller caller, String runId);

    /** {@code GET /agents/{id}}. */
    DownstreamResponse getAgent(Caller caller, String agentId);
}
