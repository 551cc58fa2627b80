package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.ports.in.RunAgentUseCase;
import dev.devloop.agent.ports.in.RunFinishedException;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Reads a run with all of its steps. */
@Tag(name = "Runs", description = "Runs with every step they took")
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RunResource {
    private final RunAgentUseCase useCase;
    private final MeterRegistry meters;
    private final Caller caller;

    public RunResource(RunAgentUseCase useCase, MeterRegistry meters, Caller caller) {
        this.useCase = useCase;
        this.meters = meters;
        this.caller = caller;
    }

    /**
     * Asks the run to stop: 200 with the run as stored (still RUNNING with {@code cancelReason} until its
     * loop reaches the next step boundary, then CANCELLED); a repeat answers the same; a run that ended
     * otherwise → 409; another tenant's run → 404.
     */
    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Ask a run to stop at its next step boundary")
    @APIResponse(
            responseCode = "404",
            description = "No such run",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "The run already ended otherwise",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "200",
            description = "The run as stored: RUNNING with cancelReason until its next step boundary, then CANCELLED")
    public RunViews.RunView cancel(
            @PathParam("id") String id,
            @RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = DecisionBodies.Cancel.class)))
                    String body) {
        String tenant = caller.tenant();
        DecisionBodies.Cancel cancel = DecisionBodies.read(body, DecisionBodies.Cancel.class, "reason");
        String reason = cancel == null ? null : cancel.reason();
        try {
            RunViews.RunView view = useCase.cancel(tenant, id, reason)
                    .map(RunViews::of)
                    .orElseThrow(() -> ProblemException.notFound("run-not-found", "no run '" + id + "'"));
            meters.counter(
                            "devloop_agent_run_cancel_requests_total",
                            "outcome",
                            view.status().equals("CANCELLED") ? "already_cancelled" : "requested")
                    .increment();
            return view;
        } catch (RunFinishedException e) {
            meters.counter("devloop_agent_run_cancel_requests_total", "outcome", "finished")
                    .increment();
            throw new ProblemException(new Problem(
                    Problem.TYPE_BASE + "run-finished", "Run already finished", 409, e.getMessage(), null, "id", null));
        }
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a run with all of its steps")
    @APIResponse(
            responseCode = "404",
            description = "No such run",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The run with its steps")
    public RunViews.RunView run(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return useCase.findRun(tenant, id)
                .map(RunViews::of)
                .orElseThrow(() -> ProblemException.notFound("run-not-found", "no run '" + id + "'"));
    }
}
