package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.domain.Proposal;
import dev.devloop.agent.ports.in.ApprovalUseCase;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Approve before write: the proposals runs are waiting on, and the operator's decisions
 * ({@code decidedBy}: the verified caller's subject).
 */
@Tag(name = "Approvals", description = "Approve before write: held tool calls and the operators' decisions")
@Path("/approvals")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ApprovalResource {
    private static final Logger LOG = Logger.getLogger(ApprovalResource.class);
    private static final int MAX_LIST = 500;
    private final ApprovalUseCase approvals;
    private final Caller caller;

    public ApprovalResource(ApprovalUseCase approvals, Caller caller) {
        this.approvals = approvals;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List proposals, optionally by status or run")
    @APIResponse(responseCode = "200", description = "The proposals")
    public List<RunViews.ProposalView> list(
            @QueryParam("status") String status,
            @QueryParam("runId") String runId,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        String tenant = caller.tenant();
        if (limit < 1 || limit > MAX_LIST) {
            throw ProblemException.badRequest("limit", "limit must be between 1 and " + MAX_LIST);
        }
        if (runId != null && runId.length() > 128) {
            throw ProblemException.badRequest("runId", "runId must be at most 128 characters");
        }
        return approvals.list(tenant, status(status), runId == null || runId.isBlank() ? null : runId, limit).stream()
                .map(RunViews::of)
                .toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a proposal")
    @APIResponse(
            responseCode = "404",
            description = "No such proposal",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The proposal")
    public RunViews.ProposalView get(@PathParam("id") String id) {
        String tenant = caller.tenant();
        return approvals
                .find(tenant, id)
                .map(RunViews::of)
                .orElseThrow(() -> ProblemException.notFound("proposal-not-found", "no proposal '" + id + "'"));
    }

    /** Approves: the held tool call runs exactly once and the run resumes. Body {@code {"note"?}}, may be empty. */
    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Approve a proposal: the held call runs once and the run resumes")
    @APIResponse(
            responseCode = "404",
            description = "No such proposal",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "The proposal was already decided or expired",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The approved proposal")
    public RunViews.ProposalView approve(
            @PathParam("id") String id,
            @RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = DecisionBodies.Approve.class)))
                    String body) {
        String tenant = caller.tenant();
        String subject = caller.subject().orElse(null);
        DecisionBodies.Approve approve = DecisionBodies.read(body, DecisionBodies.Approve.class, "note");
        String note = approve == null ? null : approve.note();
        Proposal decided = approvals.approve(tenant, id, subject, note);
        LogFields.of("tenant", tenant, "proposalId", id, "decidedBy", decided.decidedBy())
                .info(LOG, "proposal approved");
        return RunViews.of(decided);
    }

    /** Rejects: the model reads {@code {"rejected": true, "reason": …}} as the call's result. Body {@code {"reason"}}. */
    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Reject a proposal: the model reads the reason as the call's result")
    @APIResponse(
            responseCode = "404",
            description = "No such proposal",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "The proposal was already decided or expired",
            content =
                    @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "The rejected proposal")
    public RunViews.ProposalView reject(
            @PathParam("id") String id,
            @RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = DecisionBodies.Reject.class)))
                    String body) {
        String tenant = caller.tenant();
        String subject = caller.subject().orElse(null);
        DecisionBodies.Reject reject = DecisionBodies.read(body, DecisionBodies.Reject.class, "reason");
        String reason = reject == null ? null : reject.reason();
        if (reason == null || reason.isBlank()) {
            throw ProblemException.badRequest("reason", "a rejection needs a non-empty 'reason' string");
        }
        Proposal decided = approvals.reject(tenant, id, subject, reason);
        LogFields.of("tenant", tenant, "proposalId", id, "decidedBy", decided.decidedBy())
                .info(LOG, "proposal rejected");
        return RunViews.of(decided);
    }

    private static Proposal.Status status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return Proposal.Status.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("status", "status must be pending, approved, rejected or expired");
        }
    }
}
