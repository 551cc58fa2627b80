package dev.devloop.gateway.adapters.in.rest;

import static dev.devloop.gateway.adapters.in.rest.PathSegments.params;
import static dev.devloop.gateway.adapters.in.rest.PathSegments.query;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.config.GatewayConfig;
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
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * knowledge-service's roadmap graph under {@code /api/v1/roadmap} (docs/roadmap.md): nodes, dependencies, the
 * import of a whole tree (JSON or YAML, forwarded as sent) and the derived views. Viewers read; operators and
 * admins write. Query values are checked here, so nothing malformed leaves the gateway; reads are rows of
 * {@link KnowledgeReads}.
 */
@Path("/api/v1/roadmap")
// Writes block: the Idempotency-Key protocol claims and completes keys with the blocking Redis client and the
// hop waits for the answer on this worker. Reads (@GET) are @NonBlocking and run on the event loop end to end.
@Blocking
@Tag(
        name = "roadmap-service",
        description = "Roadmap nodes, dependencies, ordering and release notes (forwarded to roadmap-service)")
public class RoadmapRoutesResource {
    static final String YAML = "application/yaml";
    static final String TEXT_YAML = "text/yaml";
    private static final Service K = Service.KNOWLEDGE;
    static final List<String> LEVELS = List.of("milestone", "phase", "module", "feature", "task");
    static final List<String> WORK_LEVELS = List.of("feature", "task");
    static final List<String> STATUSES = List.of("planned", "in_progress", "blocked", "in_review", "done", "cancelled");
    /** milestone → task is four levels down. */
    static final int MAX_DEPTH = 4;
    /** The most ready nodes knowledge-service is asked for ({@code limit}); the gateway's cursor pages over them. */
    static final int READY_MAX = 200;

    private final ServiceRoutes routes;
    private final GatewayConfig config;

    public RoadmapRoutesResource(ServiceRoutes routes, GatewayConfig config) {
        this.config = config;
        this.routes = routes;
    }

    @Operation(summary = "Create a roadmap node")
    @APIResponse(
            responseCode = "201",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/nodes")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response createNode(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "roadmap.write",
                "POST /api/v1/roadmap/nodes",
                send("POST", "/roadmap/nodes", body, MediaType.APPLICATION_JSON, false),
                key,
                ServiceRoutes.asIs());
    }

    /** knowledge-service pages nodes by keyset on their id; the gateway's cursor wraps its key. */
    @Operation(summary = "List roadmap nodes")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/nodes")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> listNodes(
            @QueryParam("level") String level,
            @QueryParam("parentId") String parentId,
            @QueryParam("status") String status,
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor,
            @Context RoutingContext http) {
        return HotReads.ROADMAP_NODES.read(
                routes,
                http,
                HotReads.Values.of(
                        "level",
                        level,
                        "parentId",
                        parentId,
                        "status",
                        status,
                        "fields",
                        fields,
                        "limit",
                        limit,
                        "cursor",
                        cursor));
    }

    @Operation(summary = "Read a roadmap node")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/nodes/{id}")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> node(
            @PathParam("id") String id, @QueryParam("fields") String fields, @Context RoutingContext http) {
        return HotReads.ROADMAP_NODE.read(routes, http, HotReads.Values.of("id", id, "fields", fields));
    }

    /** Status changes and appended links are not safe to repeat blindly: not retried. */
    @Operation(summary = "Update a roadmap node")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @PATCH
    @Path("/nodes/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response updateNode(@PathParam("id") String id, byte[] body) {
        return routes.call(
                "roadmap.write",
                "PATCH /api/v1/roadmap/nodes/{id}",
                send("PATCH", node(id), body, MediaType.APPLICATION_JSON, false),
                ServiceRoutes.asIs());
    }

    @Operation(summary = "Delete a roadmap node")
    @APIResponse(responseCode = "204", description = "deleted")
    @DELETE
    @Path("/nodes/{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response deleteNode(@PathParam("id") String id, @QueryParam("cascade") String cascade) {
        HopRequest request = new HopRequest(
                K, "DELETE", node(id), query(params("cascade", bool("cascade", cascade))), null, null, true, false);
        return routes.call("roadmap.write", "DELETE /api/v1/roadmap/nodes/{id}", request, ServiceRoutes.asIs());
    }

    /** Idempotent on the service: retried like a read. */
    @Operation(summary = "Add a dependency between nodes")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @PUT
    @Path("/nodes/{id}/dependencies/{dependsOnId}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response addDependency(@PathParam("id") String id, @PathParam("dependsOnId") String dependsOnId) {
        return routes.call(
                "roadmap.write",
                "PUT /api/v1/roadmap/nodes/{id}/dependencies/{dependsOnId}",
                new HopRequest(K, "PUT", dependency(id, dependsOnId), null, null, null, true, false),
                ServiceRoutes.asIs());
    }

    @Operation(summary = "Remove a dependency between nodes")
    @APIResponse(responseCode = "204", description = "removed")
    @DELETE
    @Path("/nodes/{id}/dependencies/{dependsOnId}")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response removeDependency(@PathParam("id") String id, @PathParam("dependsOnId") String dependsOnId) {
        return routes.call(
                "roadmap.write",
                "DELETE /api/v1/roadmap/nodes/{id}/dependencies/{dependsOnId}",
                new HopRequest(K, "DELETE", dependency(id, dependsOnId), null, null, null, true, false),
                ServiceRoutes.asIs());
    }

    /**
     * Imports a nested tree; the body and its content type travel as they came (knowledge-service parses JSON
     * and YAML). One transaction over up to thousands of nodes: the long bound, never retried.
     */
    @Operation(summary = "Import a roadmap tree")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/import")
    @Consumes({MediaType.APPLICATION_JSON, YAML, TEXT_YAML})
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response importTree(
            @HeaderParam(Headers.IDEMPOTENCY_KEY) String key,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        return routes.call(
                "roadmap.import",
                "POST /api/v1/roadmap/import",
                send("POST", "/roadmap/import", body, contentType, true),
                key,
                ServiceRoutes.asIs(),
                config.limits().maxImportBytes());
    }

    @Operation(summary = "Read a node's progress")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/nodes/{id}/progress")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> progress(@PathParam("id") String id, @Context RoutingContext http) {
        return HotReads.ROADMAP_PROGRESS.read(routes, http, HotReads.Values.of("id", id));
    }

    @Operation(summary = "Read a node's tree")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/nodes/{id}/tree")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> tree(
            @PathParam("id") String id, @QueryParam("depth") Integer depth, @Context RoutingContext http) {
        return HotReads.ROADMAP_TREE.read(routes, http, HotReads.Values.of("id", id, "depth", depth));
    }

    @Operation(summary = "List the nodes ready to start")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/ready")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> ready(
            @QueryParam("level") String level,
            @QueryParam("under") String under,
            @QueryParam("fields") String fields,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor,
            @Context RoutingContext http) {
        return HotReads.ROADMAP_READY.read(
                routes,
                http,
                HotReads.Values.of("level", level, "under", under, "fields", fields, "limit", limit, "cursor", cursor));
    }

    @Operation(summary = "Read the nodes in dependency order")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/order")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> order(
            @QueryParam("level") String level, @QueryParam("under") String under, @Context RoutingContext http) {
        return HotReads.ROADMAP_ORDER.read(routes, http, HotReads.Values.of("level", level, "under", under));
    }

    @Operation(summary = "Read a milestone's critical path")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/milestones/{id}/critical-path")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> criticalPath(@PathParam("id") String id, @Context RoutingContext http) {
        return HotReads.CRITICAL_PATH.read(routes, http, HotReads.Values.of("id", id));
    }

    /** The Keep a Changelog entry of a merged feature ({@code text/markdown}, as knowledge-service renders it). */
    @Operation(summary = "Read a feature's changelog")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/features/{id}/changelog")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> changelog(@PathParam("id") String id) {
        return KnowledgeReads.CHANGELOG.read(routes, null, ServiceRoutes.asIs(), id);
    }

    /** A milestone's release notes from its done features ({@code text/markdown}). */
    @Operation(summary = "Read a milestone's release notes")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/milestones/{id}/release-notes")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> releaseNotes(@PathParam("id") String id) {
        return KnowledgeReads.RELEASE_NOTES.read(routes, null, ServiceRoutes.asIs(), id);
    }

    private static HopRequest send(String method, String path, byte[] body, String contentType, boolean longRunning) {
        return new HopRequest(K, method, path, null, body, contentType, false, longRunning);
    }

    private static String node(String id) {
        return "/roadmap/nodes/" + ResourceIds.require("id", id);
    }

    private static String dependency(String id, String dependsOnId) {
        return node(id) + "/dependencies/" + ResourceIds.require("dependsOnId", dependsOnId);
    }

    /** {@code value} when it is one of {@code allowed} (case-insensitive, sent lower-case), else 400 naming {@code field}. */
    static String oneOf(String field, String value, List<String> allowed) {
        if (value == null) {
            return null;
        }
        String lower = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw ProblemException.badRequest(field, field + " must be one of " + String.join(", ", allowed));
        }
        return lower;
    }

    private static Boolean bool(String field, String value) {
        if (value == null) {
            return null;
        }
        if (!"true".equals(value) && !"false".equals(value)) {
            throw ProblemException.badRequest(field, field + " must be true or false");
        }
        return Boolean.valueOf(value);
    }
}
