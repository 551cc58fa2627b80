package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.domain.Service;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * provider-gateway under {@code /api/v1}: generation and OpenAI-compatible chat completions (they cost
 * money: operators and admins; never retried), models, providers and usage (viewers).
 */
@Path("/api/v1")
@Blocking
public class ProviderRoutesResource {
  private static final Service P = Service.PROVIDER;
  private final ServiceRoutes routes;

  public ProviderRoutesResource(ServiceRoutes routes) {
    this.routes = routes;
  }

  @POST
  @Path("/generate")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  public Response generate(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
    return routes.call("llm.generate", "POST /api/v1/generate", llm("/v1/generate", body), key, ServiceRoutes.asIs());
  }

  /** OpenAI-compatible; a {@code stream: true} answer is relayed once complete (the SSE chunks unchanged). */
  @POST
  @Path("/chat/completions")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  public Response chatCompletions(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
    return routes.call("llm.chat", "POST /api/v1/chat/completions", llm("/v1/chat/completions", body), key,
        ServiceRoutes.asIs());
  }

  @GET
  @Path("/models")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
  public Response models(@QueryParam("fields") String fields, @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    return routes.call("llm.models", "GET /api/v1/models", HopRequest.read(P, "/v1/models", null),
        new ServiceRoutes.Shape.Items(fields, limit, cursor, "data", Integer.MAX_VALUE));
  }

  @GET
  @Path("/providers")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
  public Response providers() {
    return routes.call("llm.providers", "GET /api/v1/providers", HopRequest.read(P, "/v1/providers", null),
        ServiceRoutes.asIs());
  }

  /** The tenant's usage ledger summary (provider-gateway {@code GET /v1/usage}). */
  @GET
  @Path("/usage")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
  public Response usage(@QueryParam("from") String from, @QueryParam("to") String to) {
    String query = PathSegments.query(PathSegments.params("from", PathSegments.check("from", from, false),
        "to", PathSegments.check("to", to, false)));
    return routes.call("llm.usage", "GET /api/v1/usage", HopRequest.read(P, "/v1/usage", query), ServiceRoutes.asIs());
  }

  private static HopRequest llm(String path, byte[] body) {
    return new HopRequest(P, "POST", path, null, body, MediaType.APPLICATION_JSON, false, true);
  }
}
