package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.EntitySearch;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.EntityView;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.EntityWrite;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.NeighbourView;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.NeighbourhoodView;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.RelationView;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.RelationshipView;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.ScoredEntityView;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.SimilarView;
import dev.devloop.knowledge.domain.Entity;
import dev.devloop.knowledge.domain.EntityDetails;
import dev.devloop.knowledge.domain.ListPage;
import dev.devloop.knowledge.domain.Neighbourhood;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.domain.ScoredEntity;
import dev.devloop.knowledge.ports.in.EntityGraphUseCase;
import dev.devloop.knowledge.ports.in.UpsertEntityCommand;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** REST adapter of the entity graph's entities: {@code /entities}. */
@Tag(name = "Entities", description = "The entity graph's typed entities, neighbourhoods and similarity")
@Path("/entities")
@Produces(MediaType.APPLICATION_JSON)
public class EntityResource {
    private final EntityGraphUseCase graph;
    private final ObjectMapper json;

    private final Caller caller;

    public EntityResource(Caller caller, EntityGraphUseCase graph, ObjectMapper json) {
        this.caller = caller;
        this.graph = graph;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or merge an entity")
    @APIResponse(responseCode = "200", description = "The entity")
    public EntityView upsert(EntityWrite body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("id", "a body with id and type is required");
        }
        Entity entity = graph.upsert(
                new UpsertEntityCommand(tenant, body.id(), body.type(), PropertiesJson.text(json, body.properties())));
        return view(entity, null);
    }

    @GET
    @Operation(summary = "List entities, by type, in keyset pages")
    @APIResponse(responseCode = "200", description = "A page of entities; X-Devloop-Next-After continues it")
    public RestResponse<List<EntityView>> list(
            @QueryParam("type") String type, @QueryParam("limit") Integer limit, @QueryParam("after") String after) {
        String tenant = caller.tenant();
        ListPage<Entity> page = graph.list(tenant, type, limit, after);
        return GraphViews.paged(page.items().stream().map(e -> view(e, null)).toList(), page.nextAfter());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read an entity with its relations")
    @APIResponse(responseCode = "200", description = "The entity with its relations")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EntityView get(@PathParam("id") String id) {
        String tenant = caller.tenant();
        EntityDetails details = graph.get(tenant, id);
        List<RelationView> relations = details.relations().stream()
                .map(r ->
                        new RelationView(r.type(), r.direction(), r.otherId(), r.otherType(), tree(r.propertiesJson())))
                .toList();
        return view(details.entity(), relations);
    }

    @GET
    @Path("/{id}/neighbourhood")
    @Operation(summary = "Entities and relationships within depth hops")
    @APIResponse(responseCode = "200", description = "The neighbourhood")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NeighbourhoodView neighbourhood(@PathParam("id") String id, @QueryParam("depth") Integer depth) {
        String tenant = caller.tenant();
        Neighbourhood n = graph.neighbourhood(tenant, id, depth);
        return new NeighbourhoodView(
                n.centre(),
                n.depth(),
                n.entities().stream()
                        .map(e -> new NeighbourView(e.id(), e.type(), e.distance()))
                        .toList(),
                n.relationships().stream().map(this::view).toList());
    }

    @GET
    @Path("/{id}/similar")
    @Operation(summary = "Entities most similar to one")
    @APIResponse(responseCode = "200", description = "The most similar entities, best first")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SimilarView similar(@PathParam("id") String id, @QueryParam("limit") Integer limit) {
        String tenant = caller.tenant();
        return new SimilarView(
                id, graph.similar(tenant, id, limit).stream().map(this::view).toList());
    }

    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Semantic search over entities")
    @APIResponse(responseCode = "200", description = "The hits, best first")
    public SimilarView search(EntitySearch body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("query", "a body with a query is required");
        }
        return new SimilarView(
                null,
                graph.semanticSearch(tenant, body.query(), body.type(), body.limit(), body.filters()).stream()
                        .map(this::view)
                        .toList());
    }

    private ScoredEntityView view(ScoredEntity s) {
        Entity e = s.entity();
        return new ScoredEntityView(
                e.id(),
                e.type(),
                tree(e.propertiesJson()),
                s.score(),
                e.updatedAt() == null ? null : e.updatedAt().toString());
    }

    private JsonNode tree(String text) {
        return PropertiesJson.tree(json, text);
    }

    private EntityView view(Entity e, List<RelationView> relations) {
        return new EntityView(
                e.tenant(),
                e.id(),
                e.type(),
                tree(e.propertiesJson()),
                e.updatedAt() == null ? null : e.updatedAt().toString(),
                relations);
    }

    private RelationshipView view(Relationship r) {
        return new RelationshipView(r.from(), r.to(), r.type(), tree(r.propertiesJson()));
    }
}
