package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.knowledge.application.roadmap.RoadmapMaps;
import dev.devloop.knowledge.domain.ListPage;
import dev.devloop.knowledge.domain.roadmap.CriticalPath;
import dev.devloop.knowledge.domain.roadmap.DependencyGraph;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.TreeNode;
import dev.devloop.knowledge.ports.in.RoadmapUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** REST adapter of the roadmap graph (docs/roadmap.md): {@code /roadmap/...}. */
@Tag(name = "Roadmap", description = "The roadmap graph: nodes, dependencies, roll-up and order")
@Path("/roadmap")
@Produces(MediaType.APPLICATION_JSON)
public class RoadmapResource {
    private final RoadmapUseCase roadmap;

    private final Caller caller;

    public RoadmapResource(Caller caller, RoadmapUseCase roadmap) {
        this.caller = caller;
        this.roadmap = roadmap;
    }

    /** One step of a critical path. */
    @RegisterForReflection
    public record PathStep(String id, String name, Double estimate, String status) {}

    /** Answer of {@code GET /roadmap/milestones/{id}/critical-path}. */
    @RegisterForReflection
    public record CriticalPathView(String milestone, double length, double remaining, List<PathStep> path) {}

    /** One entry of {@code GET /roadmap/order}. */
    @RegisterForReflection
    public record RankView(String id, int rank) {}

    @POST
    @Path("/nodes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a roadmap node")
    @APIResponse(
            responseCode = "201",
            description = "The node; Location names it",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(type = SchemaType.OBJECT, description = "the roadmap node")))
    @APIResponse(
            responseCode = "409",
            description = "It collides with the roadmap's state (an existing id, a cycle, a transition, children)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<Map<String, Object>> create(
            @RequestBody(content = @Content(schema = @Schema(implementation = RoadmapBodies.NodeCreate.class)))
                    Map<String, Object> body) {
        String tenant = caller.tenant();
        RoadmapNode node = roadmap.create(tenant, body);
        return RestResponse.ResponseBuilder.<Map<String, Object>>created(URI.create("/roadmap/nodes/" + node.id()))
                .entity(RoadmapMaps.node(node))
                .build();
    }

    @GET
    @Path("/nodes")
    @Operation(summary = "List roadmap nodes in keyset pages")
    @APIResponse(responseCode = "200", description = "A page of nodes; X-Devloop-Next-After continues it")
    public RestResponse<List<Map<String, Object>>> list(
            @QueryParam("level") String level,
            @QueryParam("parentId") String parentId,
            @QueryParam("status") String status,
            @QueryParam("limit") Integer limit,
            @QueryParam("after") String after) {
        String tenant = caller.tenant();
        ListPage<RoadmapNode> page = roadmap.list(tenant, level, parentId, status, limit, after);
        return GraphViews.paged(page.items().stream().map(RoadmapMaps::node).toList(), page.nextAfter());
    }

    @GET
    @Path("/nodes/{id}")
    @Operation(summary = "Read a node with dependencies, children and progress")
    @APIResponse(responseCode = "200", description = "The node with dependsOn, children and progress")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Map<String, Object> get(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return RoadmapMaps.details(roadmap.get(tenant, id));
    }

    @PATCH
    @Path("/nodes/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a node's fields, status or delivery links")
    @APIResponse(responseCode = "200", description = "The node")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "It collides with the roadmap's state (an existing id, a cycle, a transition, children)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Map<String, Object> update(
            @PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = RoadmapBodies.NodePatch.class)))
                    Map<String, Object> body) {
        String tenant = caller.tenant();
        return RoadmapMaps.node(roadmap.update(tenant, id, body));
    }

    @DELETE
    @Path("/nodes/{id}")
    @Operation(summary = "Delete a node (with cascade, its subtree)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "It collides with the roadmap's state (an existing id, a cycle, a transition, children)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<Void> delete(@PathParam("id") String id, @QueryParam("cascade") boolean cascade) {
        String tenant = caller.tenant();
        roadmap.delete(tenant, id, cascade);
        return RestResponse.noContent();
    }

    @PUT
    @Path("/nodes/{id}/dependencies/{dependsOnId}")
    @Operation(summary = "Add a dependency between two features or two tasks")
    @APIResponse(responseCode = "200", description = "The node's details")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "It collides with the roadmap's state (an existing id, a cycle, a transition, children)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Map<String, Object> depend(@PathParam("id") String id, @PathParam("dependsOnId") String dependsOnId) {
        String tenant = caller.tenant();
        roadmap.addDependency(tenant, id, dependsOnId);
        return RoadmapMaps.details(roadmap.get(tenant, id));
    }

    @DELETE
    @Path("/nodes/{id}/dependencies/{dependsOnId}")
    @Operation(summary = "Remove a dependency")
    @APIResponse(responseCode = "204", description = "Removed (also when there was no such edge)")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<Void> undepend(@PathParam("id") String id, @PathParam("dependsOnId") String dependsOnId) {
        String tenant = caller.tenant();
        roadmap.removeDependency(tenant, id, dependsOnId);
        return RestResponse.noContent();
    }

    @GET
    @Path("/nodes/{id}/progress")
    @Operation(summary = "A node's roll-up over its tasks")
    @APIResponse(responseCode = "200", description = "The roll-up")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Map<String, Object> progress(@PathParam("id") String id) {
        String tenant = caller.tenant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.putAll(RoadmapMaps.progress(roadmap.progress(tenant, id)));
        return m;
    }

    @GET
    @Path("/nodes/{id}/tree")
    @Operation(summary = "A node's subtree with progress")
    @APIResponse(responseCode = "200", description = "The subtree")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Map<String, Object> tree(@PathParam("id") String id, @QueryParam("depth") Integer depth) {
        String tenant = caller.tenant();
        RoadmapUseCase.Tree tree = roadmap.tree(tenant, id, depth);
        Map<String, Object> root = tree(tree.root());
        root.put("truncated", tree.truncated());
        return root;
    }

    private static Map<String, Object> tree(TreeNode t) {
        Map<String, Object> m = new LinkedHashMap<>(RoadmapMaps.node(t.node()));
        m.put("progress", RoadmapMaps.progress(t.progress()));
        m.put("children", t.children().stream().map(RoadmapResource::tree).toList());
        return m;
    }

    @GET
    @Path("/ready")
    @Operation(summary = "Planned items whose dependencies are all done")
    @APIResponse(responseCode = "200", description = "The ready items by id")
    public List<Map<String, Object>> ready(
            @QueryParam("level") String level, @QueryParam("under") String under, @QueryParam("limit") Integer limit) {
        String tenant = caller.tenant();
        return roadmap.ready(tenant, level, under, limit).stream()
                .map(RoadmapMaps::node)
                .toList();
    }

    @GET
    @Path("/order")
    @Operation(summary = "Items ranked by their chains of dependencies")
    @APIResponse(responseCode = "200", description = "The items by rank then id")
    @APIResponse(
            responseCode = "422",
            description = "The roadmap is too large to order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<RankView> order(@QueryParam("level") String level, @QueryParam("under") String under) {
        String tenant = caller.tenant();
        List<DependencyGraph.Ranked> ranked = roadmap.order(tenant, level, under);
        return ranked.stream().map(r -> new RankView(r.id(), r.rank())).toList();
    }

    @GET
    @Path("/milestones/{id}/critical-path")
    @Operation(summary = "A milestone's critical path")
    @APIResponse(responseCode = "200", description = "The critical path")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "The roadmap is too large to order",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CriticalPathView criticalPath(@PathParam("id") String id) {
        String tenant = caller.tenant();
        CriticalPath c = roadmap.criticalPath(tenant, id);
        return new CriticalPathView(
                c.milestone(),
                c.length(),
                c.remaining(),
                c.path().stream()
                        .map(p -> new PathStep(
                                p.id(), p.name(), p.estimate(), p.status().wireName()))
                        .toList());
    }
}
