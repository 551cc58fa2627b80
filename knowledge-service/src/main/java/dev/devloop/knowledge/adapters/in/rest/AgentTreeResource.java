package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.knowledge.ports.in.ReadAgentTreeUseCase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** REST adapter reading the agent tree mirrored into the graph: {@code GET /agents/{id}/tree}. */
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentTreeResource {
    private final ReadAgentTreeUseCase trees;

    public AgentTreeResource(ReadAgentTreeUseCase trees) {
        this.trees = trees;
    }

    @GET
    @Path("/{id}/tree")
    public AgentTreeView tree(@HeaderParam(Headers.TENANT) String tenant, @PathParam("id") String id) {
        return AgentTreeView.of(trees.tree(Tenants.require(tenant), id));
    }
}
