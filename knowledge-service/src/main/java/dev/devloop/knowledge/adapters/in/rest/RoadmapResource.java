package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
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
import org.jboss.resteasy.reactive.RestResponse;

/** REST adapter of the roadmap graph (docs/roadmap.md): {@code /roadmap/...}. */
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
    public RestResponse<Map<String, Object>> create(Map<String, Object> body) {
        String tenant = caller.tenant();
        RoadmapNode node = roadmap.create(tenant, body);
        return RestResponse.ResponseBuilder.<Map<String, Object>>created(URI.create("/roadmap/nodes/" + node.id()))
                .entity(RoadmapMaps.node(node))
                .build();
    }

    @GET
    @Path("/nodes")
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
    public Map<String, Object> get(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return RoadmapMaps.details(roadmap.get(tenant, id));
    }

    @PATCH
    @Path("/nodes/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@PathParam("id") String id, Map<String, Object> body) {
        String tenant = caller.tenant();
        return RoadmapMaps.node(roadmap.update(tenant, id, body));
    }

    @DELETE
    @Path("/nodes/{id}")
    public RestResponse<Void> delete(@PathParam("id") String id, @QueryParam("cascade") boolean cascade) {
        String tenant = caller.tenant();
        roadmap.delete(tenant, id, cascade);
        return RestResponse.noContent();
    }

    @PUT
    @Path("/nodes/{id}/dependencies/{dependsOnId}")
    public Map<String, Object> depend(@PathParam("id") String id, @PathParam("dependsOnId") String dependsOnId) {
        String tenant = caller.tenant();
        roadmap.addDependency(tenant, id, dependsOnId);
        return RoadmapMaps.details(roadmap.get(tenant, id));
    }

    @DELETE
    @Path("/nodes/{id}/dependencies/{dependsOnId}")
    public RestResponse<Void> undepend(@PathParam("id") String id, @PathParam("dependsOnId") String dependsOnId) {
        String tenant = caller.tenant();
        roadmap.removeDependency(tenant, id, dependsOnId);
        return RestResponse.noContent();
    }

    @GET
    @Path("/nodes/{id}/progress")
    public Map<String, Object> progress(@PathParam("id") String id) {
        String tenant = caller.tenant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.putAll(RoadmapMaps.progress(roadmap.progress(tenant, id)));
        return m;
    }

    @GET
    @Path("/nodes/{id}/tree")
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
    public List<Map<String, Object>> ready(
            @QueryParam("level") String level, @QueryParam("under") String under, @QueryParam("limit") Integer limit) {
        String tenant = caller.tenant();
        return roadmap.ready(tenant, level, under, limit).stream()
                .map(RoadmapMaps::node)
                .toList();
    }

    @GET
    @Path("/order")
    public List<RankView> order(@QueryParam("level") String level, @QueryParam("under") String under) {
        String tenant = caller.tenant();
        List<DependencyGraph.Ranked> ranked = roadmap.order(tenant, level, under);
        return ranked.stream().map(r -> new RankView(r.id(), r.rank())).toList();
    }

    @GET
    @Path("/milestones/{id}/critical-path")
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
