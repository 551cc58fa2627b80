package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.ports.in.HandoffUseCase;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
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

/** {@code GET /handoffs/{id}}: a handoff with its target, run and result. */
@Tag(name = "Handoffs", description = "Work handed from one agent to another")
@Path("/handoffs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class HandoffReadResource {
    private final HandoffUseCase handoffs;
    private final Caller caller;

    public HandoffReadResource(HandoffUseCase handoffs, Caller caller) {
        this.handoffs = handoffs;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a handoff")
    @APIResponse(
            responseCode = "404",
            description = "No such handoff",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The handoff")
    public RunViews.HandoffView find(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return handoffs.find(tenant, id)
                .map(RunViews::of)
                .orElseThrow(() -> ProblemException.notFound("handoff-not-found", "no handoff '" + id + "'"));
    }
}
