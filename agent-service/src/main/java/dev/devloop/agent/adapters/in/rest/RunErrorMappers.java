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
    return ProblemResponses.of(new Problem(Problem.TYPE_BASE + "unknown-agent", "Unknown agent", 404,
        e.getMessage(), null, "ref", null));
  }

  @ServerExceptionMapper
  public Response hierarchy(HierarchyViolation e) {
    return ProblemResponses.of(new Problem(Problem.TYPE_BASE + "hierarchy-violation", "Spawn not allowed", 409,
        e.getMessage() + " [rule: " + e.rule() + "]", null, "type", null));
  }

  @ServerExceptionMapper
  public Response invalidAgentType(dev.devloop.agent.ports.in.InvalidAgentTypeException e) {
    return ProblemResponses.of(Problem.invalidField(e.field(), e.getMessage()));
  }

  @ServerExceptionMapper
  public Response agentTypeConflict(dev.devloop.agent.ports.in.AgentTypeConflictException e) {
    return ProblemResponses.of(new Problem(Problem.TYPE_BASE + "agent-type-conflict", "Agent type conflict", 409,
        e.getMessage() + " [rule: " + e.rule() + "]", null, "type", null));
  }

  @ServerExceptionMapper
  public Response unknownProposal(dev.devloop.agent.ports.in.UnknownProposalException e) {
    return ProblemResponses.of(new Problem(Problem.TYPE_BASE + "proposal-not-found", "Not found", 404,
        e.getMessage(), null, "id", null));
  }

  @ServerExceptionMapper
  public Response proposalDecided(dev.devloop.agent.ports.in.ProposalDecidedException e) {
    return ProblemResponses.of(new Problem(Problem.TYPE_BASE + "proposal-decided", "Proposal already decided", 409,
        e.getMessage(), null, "id", null));
  }

  @ServerExceptionMapper
  public Response agentUnavailable(dev.devloop.agent.ports.in.AgentUnavailableException e) {
    return ProblemResponses.of(new Problem(Problem.TYPE_BASE + "agent-unavailable", "Agent unavailable", 409,
        e.getMessage(), null, "ref", null));
  }

  @ServerExceptionMapper
  public Response invalidRun(InvalidRunRequestException e) {
    return ProblemResponses.of(Problem.invalidField(e.field(), e.getMessage()));
  }
}
