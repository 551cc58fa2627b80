package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.ports.in.RunAgentUseCase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Lists the agent types this service can run. */
@Path("/agent-types")
@Produces(MediaType.APPLICATION_JSON)
public class AgentTypeResource {
  private final RunAgentUseCase useCase;

  public AgentTypeResource(RunAgentUseCase useCase) {
    this.useCase = useCase;
  }

  @GET
  public List<RunViews.AgentTypeView> list() {
    return useCase.agentTypes().stream().map(RunViews::of).toList();
  }
}
