package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.gateway.adapters.in.Audit;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.domain.DownstreamResponse;
import dev.devloop.gateway.domain.RateLimitDecision;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.ports.in.RateLimitUseCase;
import dev.devloop.gateway.ports.in.RouteAgentCallsUseCase;
import dev.devloop.gateway.ports.in.StartRunCommand;
import dev.devloop.gateway.ports.in.StartRunResult;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public agent and run routes: authorise, rate-limit per client and route, take the tenant from
 * the token, forward to agent-service and pass its answer through.
 */
@Path("/api/v1")
@Blocking
@Tag(name = "agent-service")
public class AgentRoutesResource {

    static final String REPLAYED = "Idempotent-Replayed";
    private static final String API_PREFIX = "/api/v1";

    private final RouteAgentCallsUseCase routes;
    private final RateLimitUseCase rateLimits;
    private final JsonWebToken jwt;

    public AgentRoutesResource(RouteAgentCallsUseCase routes, RateLimitUseCase rateLimits, JsonWebToken jwt) {
        this.routes = routes;
        this.rateLimits = rateLimits;
        this.jwt = jwt;
    }

    /** Runs a task on an agent type (new agent) or agent id; {@code wait=true} answers when it has finished. */
    @Operation(summary = "Start a run of an agent")
    @APIResponse(
            responseCode = "202",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/agents/{ref}/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response startRun(
            @PathParam("ref") String ref,
            @QueryParam("wait") @DefaultValue("false") boolean wait,
            @HeaderParam(Headers.IDEMPOTENCY_KEY) String idempotencyKey,
            byte[] body) {
        return limited("runs.start", "POST /api/v1/agents/{ref}/runs", caller -> {
            StartRunResult result = routes.startRun(new StartRunCommand(caller, ref, wait, body, idempotencyKey));
            Response.ResponseBuilder response = forwarded(result.response());
            if (result.replayed()) {
                response.header(REPLAYED, "true");
            }
            return new Routed(result.response().status(), result.replayed(), response);
        });
    }

    /** A run of the caller's tenant, with its steps. */
    @Operation(summary = "Read a run")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @Path("/runs/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response run(@PathParam("id") String id) {
        return limited("runs.get", "GET /api/v1/runs/{id}", caller -> Routed.of(routes.getRun(caller, id)));
    }

    /** An agent of the caller's tenant, with its children. */
    @Operation(summary = "Read an agent")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @Path("/agents/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Response agent(@PathParam("id") String id) {
        return limited("agents.get", "GET /api/v1/agents/{id}", caller -> Routed.of(routes.getAgent(caller, id)));
    }

    /** One forwarded answer, ready to send. */
    private record Routed(int status, boolean replayed, Response.ResponseBuilder response) {
        static Routed of(DownstreamResponse answer) {
            return new Routed(answer.status(), false, forwarded(answer));
        }
    }

    private Response limited(String routeKey, String route, Function<Caller, Routed> call) {
        Caller caller = TokenCallers.from(jwt);
        RateLimitDecision limit = rateLimits.check(caller, routeKey);
        if (!limit.allowed()) {
            return ServiceRoutes.tooManyRequests(route, caller, limit);
        }
        Routed routed = call.apply(caller);
        Audit.forwarded(route, null, caller, routed.status(), "replayed", routed.replayed());
        return ServiceRoutes.withLimitHeaders(routed.response(), limit).build();
    }

    private static Response.ResponseBuilder forwarded(DownstreamResponse answer) {
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
        return response;
    }
}
