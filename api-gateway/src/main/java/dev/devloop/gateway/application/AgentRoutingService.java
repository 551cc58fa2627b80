package dev.devloop.gateway.application;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.ports.in.ResourceIds;
import dev.devloop.gateway.ports.in.RouteAgentCallsUseCase;
import dev.devloop.gateway.ports.in.StartRunCommand;
import dev.devloop.gateway.ports.out.AgentServicePort;

/** Routes agent and run calls to agent-service with the tenant taken from the caller's token. */
public final class AgentRoutingService implements RouteAgentCallsUseCase {
  private final AgentServicePort agentService;
  private final RunBodyRules runBodyRules;

  public AgentRoutingService(AgentServicePort agentService, RunBodyRules runBodyRules) {
    this.agentService = agentService;
    this.runBodyRules = runBodyRules;
  }

  @Override
  public DownstreamResponse startRun(StartRunCommand command) {
    byte[] body = command.body();
    runBodyRules.check(body);
    return agentService.startRun(command.caller().tenant(), command.agentRef(), command.waitForResult(), body);
  }

  @Override
  public DownstreamResponse getRun(Caller caller, String runId) {
    return agentService.getRun(caller.tenant(), ResourceIds.require("id", runId));
  }

  @Override
  public DownstreamResponse getAgent(Caller caller, String agentId) {
    return agentService.getAgent(caller.tenant(), ResourceIds.require("id", agentId));
  }
}
