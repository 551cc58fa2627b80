package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.Caller;
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
import org.jboss.resteasy.reactive.RestResponse;

/** REST adapter of the entity graph's entities: {@code /entities}. */
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
    public EntityView upsert(EntityWrite body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("id", "a body with id and type is required");
        }
        Entity entity =
                graph.upsert(new UpsertEntityCommand(tenant, body.id(), body.type(), properties(body.properties())));
        return view(entity, null);
    }

    @GET
    public RestResponse<List<EntityView>> list(
            @QueryParam("type") String type, @QueryParam("limit") Integer limit, @QueryParam("after") String after) {
        String tenant = caller.tenant();
        ListPage<Entity> page = graph.list(tenant, type, limit, after);
        return GraphViews.paged(page.items().stream().map(e -> view(e, null)).toList(), page.nextAfter());
    }

    @GET
    @Path("/{id}")
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
    public SimilarView similar(@PathParam("id") String id, @QueryParam("limit") Integer limit) {
        String tenant = caller.tenant();
        return new SimilarView(
                id, graph.similar(tenant, id, limit).stream().map(this::view).toList());
    }

    @POST
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
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

    private String properties(JsonNode properties) {
        if (properties == null || properties.isNull()) {
            return null;
        }
        if (!properties.isObject()) {
            throw ProblemException.badRequest("properties", "properties must be a JSON object");
        }
        try {
            return json.writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("properties", "properties are not serialisable");
        }
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not JSON", e);
        }
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
