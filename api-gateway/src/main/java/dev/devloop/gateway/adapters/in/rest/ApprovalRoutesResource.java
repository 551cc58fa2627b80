package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.domain.Service;
import dev.devloop.gateway.ports.in.ResourceIds;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * agent-service's approve-before-write proposals and agent-type version history under {@code /api/v1}
 * (docs/roadmap.md): viewers read, operators and admins decide. The decider is the token's subject, which the hop
 * sends as {@code X-Devloop-Subject}.
 */
@Path("/api/v1")
// Writes block: the Idempotency-Key protocol claims and completes keys with the blocking Redis client and the
// hop waits for the answer on this worker. Reads (@GET) are @NonBlocking and run on the event loop end to end.
@Blocking
@Tag(name = "agent-service")
public class ApprovalRoutesResource {
    private static final Service A = Service.AGENT;

    private final ServiceRoutes routes;

    public ApprovalRoutesResource(ServiceRoutes routes) {
        this.routes = routes;
    }

    @Operation(summary = "List approvals")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/approvals")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> approvals(
            @QueryParam("status") String status,
            @QueryParam("runId") String runId,
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor,
            @Context RoutingContext http) {
        return HotReads.APPROVALS.read(
                routes,
                http,
                HotReads.Values.of(
                        "status", status, "runId", runId, "fields", fields, "limit", limit, "cursor", cursor));
    }

    @Operation(summary = "Read an approval")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/approvals/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> approval(
            @PathParam("id") String id, @QueryParam("fields") String fields, @Context RoutingContext http) {
        return HotReads.APPROVAL.read(routes, http, HotReads.Values.of("id", id, "fields", fields));
    }

    /** Runs the proposed tool (once: the proposal id is its idempotency key) and resumes the run: the long bound. */
    @Operation(summary = "Approve a pending approval")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/approvals/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response approve(@PathParam("id") String id, @HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "approvals.decide",
                "POST /api/v1/approvals/{id}/approve",
                decision(id, "/approve", body),
                key,
                ServiceRoutes.asIs());
    }

    /** {@code {"reason": "…"}}: the model gets the rejection as the tool's result. */
    @Operation(summary = "Reject a pending approval")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/approvals/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response reject(@PathParam("id") String id, @HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "approvals.decide",
                "POST /api/v1/approvals/{id}/reject",
                decision(id, "/reject", body),
                key,
                ServiceRoutes.asIs());
    }

    @Operation(summary = "List an agent type's versions")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/agent-types/{type}/versions")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> agentTypeVersions(
            @PathParam("type") String type,
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor,
            @Context RoutingContext http) {
        return HotReads.AGENT_TYPE_VERSIONS.read(
                routes, http, HotReads.Values.of("type", type, "fields", fields, "limit", limit, "cursor", cursor));
    }

    private static String approvalPath(String id) {
        return "/approvals/" + ResourceIds.require("id", id);
    }

    private static HopRequest decision(String id, String action, byte[] body) {
        return new HopRequest(
                A, "POST", approvalPath(id) + action, null, body, MediaType.APPLICATION_JSON, false, true);
    }
}
