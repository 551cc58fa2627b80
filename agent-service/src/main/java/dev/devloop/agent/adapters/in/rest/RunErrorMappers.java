package dev.devloop.agent.adapters.in.rest;

import dev.devloop.agent.domain.HierarchyViolation;
import dev.devloop.agent.ports.in.InvalidRunRequestException;
import dev.devloop.agent.ports.in.UnknownAgentException;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemResponses;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps the use cases' refusals to problem+json. */
public class RunErrorMappers {

    @ServerExceptionMapper
    public Response unknownAgent(UnknownAgentException e) {
        return ProblemResponses.of(new Problem(
                Problem.TYPE_BASE + "unknown-agent", "Unknown agent", 404, e.getMessage(), null, "ref", null));
    }

    @ServerExceptionMapper
    public Response hierarchy(HierarchyViolation e) {
        return ProblemResponses.of(new Problem(
                Problem.TYPE_BASE + "hierarchy-violation",
                "Spawn not allowed",
                409,
                e.getMessage() + " [rule: " + e.rule() + "]",
                null,
                "type",
                null));
    }

    @ServerExceptionMapper
    public Response invalidAgentType(dev.devloop.agent.ports.in.InvalidAgentTypeException e) {
        return ProblemResponses.of(Problem.invalidField(e.field(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response agentTypeConflict(dev.devloop.agent.ports.in.AgentTypeConflictException e) {
        return ProblemResponses.of(new Problem(
                Problem.TYPE_BASE + "agent-type-conflict",
                "Agent type conflict",
                409,
                e.getMessage() + " [rule: " + e.rule() + "]",
                null,
                "type",
                null));
    }

    @ServerExceptionMapper
    public Response unknownProposal(dev.devloop.agent.ports.in.UnknownProposalException e) {
        return ProblemResponses.of(new Problem(
                Problem.TYPE_BASE + "proposal-not-found", "Not found", 404, e.getMessage(), null, "id", null));
    }

    @ServerExceptionMapper
    public Response proposalDecided(dev.devloop.agent.ports.in.ProposalDecidedException e) {
        return ProblemResponses.of(new Problem(
                Problem.TYPE_BASE + "proposal-decided",
                "Proposal already decided",
                409,
                e.getMessage(),
                null,
                "id",
                null));
    }

    @ServerExceptionMapper
    public Response agentUnavailable(dev.devloop.agent.ports.in.AgentUnavailableException e) {
        return ProblemResponses.of(new Problem(
                Problem.TYPE_BASE + "agent-unavailable", "Agent unavailable", 409, e.getMessage(), null, "ref", null));
    }

    /** Seconds a client should wait before retrying a request the store could not serve. */
    static final String STORE_RETRY_AFTER_SECONDS = "5";

    /** The store stayed unreachable through the retries: 503 with Retry-After, never 500. */
    @ServerExceptionMapper
    public Response storeUnavailable(dev.devloop.agent.ports.out.StoreUnavailableException e) {
        return storeDown();
    }

    /** A request that met a MongoDB outage: 503 with Retry-After; any other store failure stays a 500 problem. */
    @ServerExceptionMapper
    public Response store(com.mongodb.MongoException e) {
        if (dev.devloop.migrations.MongoOutages.isTransient(e)) {
            return storeDown();
        }
        io.quarkus.logging.Log.error("store failure", e);
        return ProblemResponses.of(
                Problem.of(500, "store-failure", "Store failure", "The run store refused the request."));
    }

    private static Response storeDown() {
        return Response.fromResponse(ProblemResponses.of(Problem.of(
                        503,
                        "store-unavailable",
                        "Store unavailable",
                        "The run store (MongoDB) cannot be reached right now; retry after " + STORE_RETRY_AFTER_SECONDS
                                + " s.")))
                .header("Retry-After", STORE_RETRY_AFTER_SECONDS)
                .build();
    }

    @ServerExceptionMapper
    public Response invalidRun(InvalidRunRequestException e) {
        return ProblemResponses.of(Problem.invalidField(e.field(), e.getMessage()));
    }
}
