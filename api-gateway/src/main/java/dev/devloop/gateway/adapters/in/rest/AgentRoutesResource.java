package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.ports.in.RouteAgentCallsUseCase;
import dev.devloop.gateway.ports.in.StartRunCommand;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The public agent and run routes: authorise, take the tenant from the token, forward to agent-service. */
@Path("/api/v1")
@Blocking
public class AgentRoutesResource {
  private static final String API_PREFIX = "/api/v1";

  private final RouteAgentCallsUseCase routes;
  private final JsonWebToken jwt;

  public AgentRoutesResource(RouteAgentCallsUseCase routes, JsonWebToken jwt) {
    this.routes = routes;
    this.jwt = jwt;
  }

  /** Runs a task on an agent type (new agent) or agent id; {@code wait=true} answers when it has finished. */
  @POST
  @Path("/agents/{ref}/runs")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  public Response startRun(@PathParam("ref") String ref, @QueryParam("wait") @DefaultValue("false") boolean wait,
      byte[] body) {
    Caller caller = TokenCallers.from(jwt);
    DownstreamResponse answer = routes.startRun(new StartRunCommand(caller, ref, wait, body));
    return forwarded("POST /api/v1/agents/{ref}/runs", caller, answer);
  }

  /** A run of the caller's tenant, with its steps. */
  @GET
  @Path("/runs/{id}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
  public Response run(@PathParam("id") String id) {
    Caller caller = TokenCallers.from(jwt);
    return forwarded("GET /api/v1/runs/{id}", caller, routes.getRun(caller, id));
  }

  /** An agent of the caller's tenant, with its children. */
  @GET
  @Path("/agents/{id}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
  public Response agent(@PathParam("id") String id) {
    Caller caller = TokenCallers.from(jwt);
    return forwarded("GET /api/v1/agents/{id}", caller, routes.getAgent(caller, id));
  }

  private static Response forwarded(String route, Caller caller, DownstreamResponse answer) {
    Log.infof("route forwarded route=\"%s\" tenant=%s sub=%s role=%s status=%d decision=allow",
        route, caller.tenant(), caller.subject(), caller.highestRole(), answer.status());
    Response.ResponseBuilder response = Response.status(answer.status());
    byte[] body = answer.body();
    if (body.length > 0) {
      response.entity(body);
      if (answer.contentType() != null) {
        response.header(HttpHeaders.CONTENT_TYPE, answer.contentType());
      }
    }
    if (answer.location() != null && answer.location().startsWith("/")) {
      response.header(HttpHeaders.LOCATION, API_PREFIX + answer.location());
    }
    return response.build();
  }
}
