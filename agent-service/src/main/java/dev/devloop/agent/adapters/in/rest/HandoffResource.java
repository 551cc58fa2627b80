package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.domain.Handoff;
import dev.devloop.agent.ports.in.HandoffCommand;
import dev.devloop.agent.ports.in.HandoffUseCase;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import io.opentelemetry.api.trace.Span;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Handoffs: {@code POST /agents/{id}/handoffs} hands a task from agent {@code id} to a new agent of
 * another type, runs it there and answers with the handoff id, target and result.
 */
@Tag(name = "Handoffs", description = "Work handed from one agent to another")
@Path("/agents/{id}/handoffs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class HandoffResource {
    private static final Logger LOG = Logger.getLogger(HandoffResource.class);
    private final HandoffUseCase handoffs;
    private final Caller caller;

    public HandoffResource(HandoffUseCase handoffs, Caller caller) {
        this.handoffs = handoffs;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Hand a task off from an agent to a new agent of a target type")
    @APIResponse(
            responseCode = "404",
            description = "No such agent or agent type",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "The target is not one of the agent's handoff targets",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The handoff and the run it started")
    public RunViews.HandoffView handoff(@PathParam("id") String id, @Valid HandoffBody body) {
        String tenant = caller.tenant();
        if (body == null) {
            throw ProblemException.badRequest("toAgentType", "a JSON body with 'toAgentType' and 'task' is required");
        }
        Handoff done = handoffs.handoff(new HandoffCommand(
                tenant,
                id,
                body.toAgentType(),
                body.task(),
                body.context(),
                null,
                Span.current().getSpanContext().getTraceId()));
        LogFields.of(
                        "tenant", tenant,
                        "handoffId", done.id(),
                        "fromAgentId", id,
                        "toAgentId", done.toAgentId(),
                        "status", done.status())
                .info(LOG, "handoff done");
        return RunViews.of(done);
    }
}
