package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.knowledge.ports.in.ReadAgentTreeUseCase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** REST adapter reading the agent tree mirrored into the graph: {@code GET /agents/{id}/tree}. */
@Path("/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentTreeResource {
    private final ReadAgentTreeUseCase trees;

    private final Caller caller;

    public AgentTreeResource(Caller caller, ReadAgentTreeUseCase trees) {
        this.caller = caller;
        this.trees = trees;
    }

    @GET
    @Path("/{id}/tree")
    public AgentTreeView tree(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return AgentTreeView.of(trees.tree(tenant, id));
    }
}
