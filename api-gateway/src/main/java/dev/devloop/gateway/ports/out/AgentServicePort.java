package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.DownstreamResponse;

/** Outgoing port to agent-service; every call acts for exactly one tenant and carries the caller's subject. */
public interface AgentServicePort {

    /** {@code POST /agents/{ref}/runs?wait=...} with the body as received. */
    DownstreamResponse startRun(String tenant, String subject, String agentRef, boolean waitForResult, byte[] body);

    /** {@code GET /runs/{id}}. */
    DownstreamResponse getRun(String tenant, String subject, String runId);

    /** {@code GET /agents/{id}}. */
    DownstreamResponse getAgent(String tenant, String subject, String agentId);
}
