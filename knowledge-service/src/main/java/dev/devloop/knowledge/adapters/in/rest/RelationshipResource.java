package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** REST adapter of the entity graph's typed relationships: {@code /relationships}. */
@Tag(name = "Relationships", description = "The entity graph's typed relationships")
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
    @Operation(summary = "Create or merge a typed relationship")
    @APIResponse(responseCode = "200", description = "The relationship")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RelationshipView relate(RelationshipWrite body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("from", "a body with from, to and type is required");
        }
        return view(graph.relate(new RelateEntitiesCommand(
                tenant, body.from(), body.to(), body.type(), PropertiesJson.text(json, body.properties()))));
    }

    @GET
    @Operation(summary = "List relationships, by type, in keyset pages")
    @APIResponse(responseCode = "200", description = "A page of relationships; X-Devloop-Next-After continues it")
    public RestResponse<List<RelationshipView>> relationships(
            @QueryParam("type") String type, @QueryParam("limit") Integer limit, @QueryParam("after") String after) {
        String tenant = caller.tenant();
        ListPage<Relationship> page = graph.relationships(tenant, type, limit, after);
        return GraphViews.paged(page.items().stream().map(this::view).toList(), page.nextAfter());
    }

    private RelationshipView view(Relationship r) {
        return new RelationshipView(r.from(), r.to(), r.type(), PropertiesJson.tree(json, r.propertiesJson()));
    }
}
