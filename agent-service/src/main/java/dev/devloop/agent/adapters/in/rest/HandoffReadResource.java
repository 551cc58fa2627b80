package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.ports.in.HandoffUseCase;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /handoffs/{id}}: a handoff with its target, run and result. */
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
    public RunViews.HandoffView find(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return handoffs.find(tenant, id)
                .map(RunViews::of)
                .orElseThrow(() -> ProblemException.notFound("handoff-not-found", "no handoff '" + id + "'"));
    }
}
