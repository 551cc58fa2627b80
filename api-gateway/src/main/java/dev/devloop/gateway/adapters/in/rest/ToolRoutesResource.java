package dev.devloop.gateway.adapters.in.rest;

import static dev.devloop.gateway.adapters.in.rest.PathSegments.segment;

import dev.devloop.contracts.Headers;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.domain.Service;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** tool-service under {@code /api/v1}: the registry, invocations and imported MCP servers. */
@Path("/api/v1")
// Writes block: the Idempotency-Key protocol claims and completes keys with the blocking Redis client and the
// hop waits for the answer on this worker. Reads (@GET) are @NonBlocking and run on the event loop end to end.
@Blocking
@Tag(name = "tool-service", description = "Tools, invocations and MCP servers (forwarded to tool-service)")
public class ToolRoutesResource {
    private static final Service T = Service.TOOL;
    private final ServiceRoutes routes;

    public ToolRoutesResource(ServiceRoutes routes) {
        this.routes = routes;
    }

    @Operation(summary = "List tools")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/tools")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> tools(
            @QueryParam("agentType") String agentType,
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor,
            @Context RoutingContext http) {
        return HotReads.TOOLS.read(
                routes,
                http,
                HotReads.Values.of("agentType", agentType, "fields", fields, "limit", limit, "cursor", cursor));
    }

    @Operation(summary = "Read a tool")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/tools/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> tool(
            @PathParam("id") String id, @QueryParam("fields") String fields, @Context RoutingContext http) {
        return HotReads.TOOL.read(routes, http, HotReads.Values.of("id", id, "fields", fields));
    }

    /** Registering a tool changes what every agent of the tenant may do: admins only. */
    @Operation(summary = "Register a tool")
    @APIResponse(
            responseCode = "201",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/tools")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response register(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call("tools.write", "POST /api/v1/tools", post("/tools", body, false), key, ServiceRoutes.asIs());
    }

    @Operation(summary = "Disable a tool")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/tools/{id}/disable")
    @RolesAllowed(Roles.ADMIN)
    public Response disable(@PathParam("id") String id) {
        return routes.call(
                "tools.write",
                "POST /api/v1/tools/{id}/disable",
                post("/tools/" + segment("id", id) + "/disable", new byte[0], false),
                null,
                ServiceRoutes.asIs());
    }

    /** Executes a tool (permission-checked and audited by tool-service); may wait on a remote MCP server. */
    @Operation(summary = "Invoke a tool")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/tools/{id}/invocations")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response invoke(@PathParam("id") String id, @HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "tools.invoke",
                "POST /api/v1/tools/{id}/invocations",
                post("/tools/" + segment("id", id) + "/invocations", body, true),
                key,
                ServiceRoutes.asIs());
    }

    @Operation(summary = "List MCP servers")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/mcp-servers")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> mcpServers(
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return routes.read(
                "mcp-servers.list",
                "GET /api/v1/mcp-servers",
                HopRequest.read(T, "/mcp-servers", null),
                new ServiceRoutes.Shape.Items(fields, limit, cursor, null, Integer.MAX_VALUE));
    }

    /** Imports a remote MCP server's tools (the server is contacted: long bound). */
    @Operation(summary = "Import an MCP server's tools")
    @APIResponse(
            responseCode = "201",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/mcp-servers")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response importMcpServer(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "mcp-servers.write",
                "POST /api/v1/mcp-servers",
                post("/mcp-servers", body, true),
                key,
                ServiceRoutes.asIs());
    }

    @Operation(summary = "Remove an MCP server")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @DELETE
    @Path("/mcp-servers/{name}")
    @RolesAllowed(Roles.ADMIN)
    public Response removeMcpServer(@PathParam("name") String name) {
        return routes.call(
                "mcp-servers.write",
                "DELETE /api/v1/mcp-servers/{name}",
                new HopRequest(T, "DELETE", "/mcp-servers/" + segment("name", name), null, null, null, true, false),
                ServiceRoutes.asIs());
    }

    private static HopRequest post(String path, byte[] body, boolean longRunning) {
        return new HopRequest(T, "POST", path, null, body, MediaType.APPLICATION_JSON, false, longRunning);
    }
}
