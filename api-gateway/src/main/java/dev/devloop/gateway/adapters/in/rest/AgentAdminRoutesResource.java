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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
 * The rest of agent-service under {@code /api/v1}: list, spawn and retire agents, list, read, register, replace
 * and remove agent types, cancel a run, hand a task off, read a handoff, run a system-health check.
 */
@Path("/api/v1")
// Writes block: the Idempotency-Key protocol claims and completes keys with the blocking Redis client and the
// hop waits for the answer on this worker. Reads (@GET) are @NonBlocking and run on the event loop end to end.
@Blocking
@Tag(name = "agent-service", description = "Agents, agent types, runs and handoffs (forwarded to agent-service)")
public class AgentAdminRoutesResource {
    private static final Service A = Service.AGENT;
    private final ServiceRoutes routes;

    public AgentAdminRoutesResource(ServiceRoutes routes) {
        this.routes = routes;
    }

    @Operation(summary = "List agents")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/agents")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> agents(
            @QueryParam("parentId") String parentId,
            @QueryParam("type") String type,
            @QueryParam("status") String status,
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor,
            @Context RoutingContext http) {
        return HotReads.AGENTS.read(
                routes,
                http,
                HotReads.Values.of(
                        "parentId",
                        parentId,
                        "type",
                        type,
                        "status",
                        status,
                        "fields",
                        fields,
                        "limit",
                        limit,
                        "cursor",
                        cursor));
    }

    @Operation(summary = "Spawn an agent")
    @APIResponse(
            responseCode = "201",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/agents")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response spawn(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "agents.write",
                "POST /api/v1/agents",
                new HopRequest(A, "POST", "/agents", null, body, MediaType.APPLICATION_JSON, false, false),
                key,
                ServiceRoutes.asIs());
    }

    /** Retires an agent and its subtree. */
    @Operation(summary = "Retire an agent and its subtree")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @DELETE
    @Path("/agents/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response retire(@PathParam("id") String id) {
        return routes.call(
                "agents.write",
                "DELETE /api/v1/agents/{id}",
                new HopRequest(A, "DELETE", "/agents/" + ResourceIds.require("id", id), null, null, null, true, false),
                ServiceRoutes.asIs());
    }

    @Operation(summary = "List agent types")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/agent-types")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> agentTypes(
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor,
            @Context RoutingContext http) {
        return HotReads.AGENT_TYPES.read(
                routes, http, HotReads.Values.of("fields", fields, "limit", limit, "cursor", cursor));
    }

    @Operation(summary = "Read an agent type")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/agent-types/{type}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> agentType(
            @PathParam("type") String type, @QueryParam("fields") String fields, @Context RoutingContext http) {
        return HotReads.AGENT_TYPE.read(routes, http, HotReads.Values.of("type", type, "fields", fields));
    }

    /** Registers a tenant's own agent type (the shape of a shipped definition); 201 with its Location. */
    @Operation(summary = "Register an agent type")
    @APIResponse(
            responseCode = "201",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/agent-types")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response registerAgentType(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "agent-types.write",
                "POST /api/v1/agent-types",
                new HopRequest(A, "POST", "/agent-types", null, body, MediaType.APPLICATION_JSON, false, false),
                key,
                ServiceRoutes.asIs());
    }

    /** Replaces a registered agent type (a PUT: retried like a read). */
    @Operation(summary = "Replace an agent type")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @PUT
    @Path("/agent-types/{type}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response updateAgentType(@PathParam("type") String type, byte[] body) {
        return routes.call(
                "agent-types.write",
                "PUT /api/v1/agent-types/{type}",
                new HopRequest(
                        A,
                        "PUT",
                        "/agent-types/" + ResourceIds.require("type", type),
                        null,
                        body,
                        MediaType.APPLICATION_JSON,
                        true,
                        false),
                ServiceRoutes.asIs());
    }

    @Operation(summary = "Remove an agent type")
    @APIResponse(responseCode = "204", description = "removed")
    @DELETE
    @Path("/agent-types/{type}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response deleteAgentType(@PathParam("type") String type) {
        return routes.call(
                "agent-types.write",
                "DELETE /api/v1/agent-types/{type}",
                new HopRequest(
                        A,
                        "DELETE",
                        "/agent-types/" + ResourceIds.require("type", type),
                        null,
                        null,
                        null,
                        true,
                        false),
                ServiceRoutes.asIs());
    }

    /**
     * Asks a run to stop (optional body {@code {"reason": "…"}}): agent-service answers the run as stored, 409 when
     * it already ended, 404 for another tenant's run. A POST: not retried unless sent with an Idempotency-Key.
     */
    @Operation(summary = "Cancel a run")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/runs/{id}/cancel")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response cancelRun(
            @PathParam("id") String id, @HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "runs.cancel",
                "POST /api/v1/runs/{id}/cancel",
                new HopRequest(
                        A,
                        "POST",
                        "/runs/" + ResourceIds.require("id", id) + "/cancel",
                        null,
                        body,
                        MediaType.APPLICATION_JSON,
                        false,
                        false),
                key,
                ServiceRoutes.asIs());
    }

    /** Hands a task from one agent to a new agent of another type and runs it (waits for the result). */
    @Operation(summary = "Hand a task off to another agent")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/agents/{id}/handoffs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response handoff(@PathParam("id") String id, @HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "agents.write",
                "POST /api/v1/agents/{id}/handoffs",
                new HopRequest(
                        A,
                        "POST",
                        "/agents/" + ResourceIds.require("id", id) + "/handoffs",
                        null,
                        body,
                        MediaType.APPLICATION_JSON,
                        false,
                        true),
                key,
                ServiceRoutes.asIs());
    }

    @Operation(summary = "Read a handoff")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/handoffs/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> handoffById(@PathParam("id") String id, @Context RoutingContext http) {
        return HotReads.HANDOFF.read(routes, http, HotReads.Values.of("id", id));
    }

    /** Runs the System Health Agent once: probes, diagnoses, repairs, reports (waits for the report). */
    @Operation(summary = "Run a system-health check")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/system-health/checks")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response systemHealthCheck(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "agents.write",
                "POST /api/v1/system-health/checks",
                new HopRequest(A, "POST", "/system-health/checks", null, body, MediaType.APPLICATION_JSON, false, true),
                key,
                ServiceRoutes.asIs());
    }
}
