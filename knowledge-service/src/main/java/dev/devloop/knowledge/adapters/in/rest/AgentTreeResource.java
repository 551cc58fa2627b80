package dev.devloop.knowledge.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.knowledge.ports.in.ReadAgentTreeUseCase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** REST adapter reading the agent tree mirrored into the graph: {@code GET /agents/{id}/tree}. */
@Tag(name = "Agents", description = "The agent tree mirrored from devloop.agent.lifecycle")
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
    @Operation(summary = "Read an agent and its descendants")
    @APIResponse(responseCode = "200", description = "The agent tree")
    @APIResponse(
            responseCode = "404",
            description = "Nothing of that id for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AgentTreeView tree(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return AgentTreeView.of(trees.tree(tenant, id));
    }
}
