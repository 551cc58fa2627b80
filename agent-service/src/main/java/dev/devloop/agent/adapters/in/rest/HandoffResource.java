package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.domain.Handoff;
import dev.devloop.agent.ports.in.HandoffCommand;
import dev.devloop.agent.ports.in.HandoffUseCase;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.problem.ProblemException;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Handoffs: {@code POST /agents/{id}/handoffs} hands a task from agent {@code id} to a new agent of
 * another type, runs it there and answers with the handoff id, target and result.
 */
@Path("/agents/{id}/handoffs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class HandoffResource {
    private final HandoffUseCase handoffs;

    public HandoffResource(HandoffUseCase handoffs) {
        this.handoffs = handoffs;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public RunViews.HandoffView handoff(
            @HeaderParam(Headers.TENANT) String tenantHeader, @PathParam("id") String id, @Valid HandoffBody body) {
        String tenant = Tenants.require(tenantHeader);
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
        Log.infof(
                "handoff %s tenant=%s from=%s to=%s status=%s", done.id(), tenant, id, done.toAgentId(), done.status());
        return RunViews.of(done);
    }
}
