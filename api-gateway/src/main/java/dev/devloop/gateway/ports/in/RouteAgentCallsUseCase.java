package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;

/** Incoming port: the agent and run routes the gateway exposes under {@code /api/v1}. */
public interface RouteAgentCallsUseCase {

    /** Validates the body and starts a run on agent-service for the caller's tenant (idempotently when keyed). */
    StartRunResult startRun(StartRunCommand command);

    /** Reads a run (with its steps) of the caller's tenant. */
    DownstreamResponse getRun(Caller caller, String runId);

    /** Reads an agent (with its children) of the caller's tenant. */
    DownstreamResponse getAgent(Caller caller, String agentId);
}
