package dev.devloop.agent.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** Reads a run with all of its steps. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RunResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunAgentUseCase useCase;
    private final MeterRegistry meters;
    private final Caller caller;

    public RunResource(RunAgentUseCase useCase, MeterRegistry meters, Caller caller) {
        this.useCase = useCase;
        this.meters = meters;
        this.caller = caller;
    }

    /** The optional body of a cancel, {@code {"reason": "..."}}; none or an empty one is fine. */
    private static String reason(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode reason = node == null ? null : node.get("reason");
            if (node == null || !node.isObject() || (reason != null && !reason.isNull() && !reason.isTextual())) {
                throw ProblemException.badRequest(
                        "reason", "the body must be a JSON object with an optional 'reason' string");
            }
            return reason == null || reason.isNull() ? null : reason.asText();
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("reason", "the body is not valid JSON");
        }
    }

    /**
     * Asks the run to stop: 200 with the run as stored (still RUNNING with {@code cancelReason} until its
     * loop reaches the next step boundary, then CANCELLED); a repeat answers the same; a run that ended
     * otherwise → 409; another tenant's run → 404.
     */
    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public RunViews.RunView cancel(@PathParam("id") String id, String body) {
        String tenant = caller.tenant();
        String reason = reason(body);
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
    public RunViews.RunView run(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return useCase.findRun(tenant, id)
                .map(RunViews::of)
                .orElseThrow(() -> ProblemException.notFound("run-not-found", "no run '" + id + "'"));
    }
}
