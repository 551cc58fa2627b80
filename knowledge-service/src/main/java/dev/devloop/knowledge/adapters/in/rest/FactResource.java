package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.knowledge.Fact;
import dev.devloop.contracts.knowledge.FactWrite;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.knowledge.domain.StoredFact;
import dev.devloop.knowledge.ports.in.DeleteFactUseCase;
import dev.devloop.knowledge.ports.in.GetFactUseCase;
import dev.devloop.knowledge.ports.in.ListFactsUseCase;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import dev.devloop.knowledge.ports.in.StoreFactUseCase;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** REST adapter of the tiered fact memory: {@code /facts/{entity}[/{attribute}]}. */
@Tag(name = "Facts", description = "Tiered facts: Redis, MongoDB or Neo4j by TTL")
@Path("/facts")
@Produces(MediaType.APPLICATION_JSON)
public class FactResource {
    private final StoreFactUseCase store;
    private final GetFactUseCase get;
    private final ListFactsUseCase list;
    private final DeleteFactUseCase delete;
    private final ObjectMapper json;

    private final Caller caller;

    public FactResource(
            Caller caller,
            StoreFactUseCase store,
            GetFactUseCase get,
            ListFactsUseCase list,
            DeleteFactUseCase delete,
            ObjectMapper json) {
        this.caller = caller;
        this.store = store;
        this.get = get;
        this.list = list;
        this.delete = delete;
        this.json = json;
    }

    @PUT
    @Path("/{entity}/{attribute}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store a fact; its TTL chooses the tier")
    @APIResponse(responseCode = "200", description = "The stored fact and its tier")
    public Fact put(@PathParam("entity") String entity, @PathParam("attribute") String attribute, FactWrite body) {
        String tenant = caller.tenant();
        String value = body == null ? null : text(body.value());
        Long ttl = body == null ? null : body.ttlSeconds();
        return toWire(store.store(new StoreFactCommand(tenant, entity, attribute, value, ttl)));
    }

    @GET
    @Path("/{entity}/{attribute}")
    @Operation(summary = "Read one fact")
    @APIResponse(responseCode = "200", description = "The fact")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Fact get(@PathParam("entity") String entity, @PathParam("attribute") String attribute) {
        String tenant = caller.tenant();
        return toWire(get.get(tenant, entity, attribute));
    }

    @DELETE
    @Path("/{entity}/{attribute}")
    @Operation(summary = "Delete a fact from every tier")
    @APIResponse(responseCode = "204", description = "Deleted (also when there was none)")
    public void delete(@PathParam("entity") String entity, @PathParam("attribute") String attribute) {
        String tenant = caller.tenant();
        delete.delete(tenant, entity, attribute);
    }

    @GET
    @Path("/{entity}")
    @Operation(summary = "List an entity's facts")
    @APIResponse(responseCode = "200", description = "The entity's facts")
    public List<Fact> list(@PathParam("entity") String entity) {
        String tenant = caller.tenant();
        return list.list(tenant, entity).stream().map(this::toWire).toList();
    }

    private String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value not serialisable", e);
        }
    }

    private Fact toWire(StoredFact fact) {
        JsonNode value;
        try {
            value = json.readTree(fact.valueJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored value is not JSON", e);
        }
        return new Fact(
                fact.key().tenant(),
                fact.key().entity(),
                fact.key().attribute(),
                value,
                fact.tier().wireName(),
                fact.expiresAt() == null ? null : fact.expiresAt().toString());
    }
}
