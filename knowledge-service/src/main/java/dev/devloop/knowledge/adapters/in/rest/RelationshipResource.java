package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.RelationshipView;
import dev.devloop.knowledge.adapters.in.rest.GraphViews.RelationshipWrite;
import dev.devloop.knowledge.domain.ListPage;
import dev.devloop.knowledge.domain.Relationship;
import dev.devloop.knowledge.ports.in.EntityGraphUseCase;
import dev.devloop.knowledge.ports.in.RelateEntitiesCommand;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/** REST adapter of the entity graph's typed relationships: {@code /relationships}. */
@Path("/relationships")
@Produces(MediaType.APPLICATION_JSON)
public class RelationshipResource {
    private final EntityGraphUseCase graph;
    private final ObjectMapper json;

    private final Caller caller;

    public RelationshipResource(Caller caller, EntityGraphUseCase graph, ObjectMapper json) {
        this.caller = caller;
        this.graph = graph;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RelationshipView relate(RelationshipWrite body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("from", "a body with from, to and type is required");
        }
        return view(graph.relate(
                new RelateEntitiesCommand(tenant, body.from(), body.to(), body.type(), properties(body.properties()))));
    }

    @GET
    public RestResponse<List<RelationshipView>> relationships(
            @QueryParam("type") String type, @QueryParam("limit") Integer limit, @QueryParam("after") String after) {
        String tenant = caller.tenant();
        ListPage<Relationship> page = graph.relationships(tenant, type, limit, after);
        return GraphViews.paged(page.items().stream().map(this::view).toList(), page.nextAfter());
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

    private RelationshipView view(Relationship r) {
        try {
            return new RelationshipView(r.from(), r.to(), r.type(), json.readTree(r.propertiesJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored properties are not JSON", e);
        }
    }
}
