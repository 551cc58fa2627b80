package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.ports.in.RunAgentUseCase;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Reads a run with all of its steps. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RunResource {
  private final RunAgentUseCase useCase;

  public RunResource(RunAgentUseCase useCase) {
    this.useCase = useCase;
  }

  @GET
  @Path("/{id}")
  public RunViews.RunView run(@HeaderParam(Headers.TENANT) String tenantHeader, @PathParam("id") String id) {
    String tenant = Tenants.require(tenantHeader);
    return useCase.findRun(tenant, id).map(RunViews::of)
        .orElseThrow(() -> ProblemException.notFound("run-not-found", "no run '" + id + "'"));
  }
}
