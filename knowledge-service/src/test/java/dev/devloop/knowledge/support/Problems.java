package dev.devloop.knowledge.support;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.adapters.in.rest.KnowledgeProblems;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.out.DependencyUnavailableException;
import dev.devloop.knowledge.ports.out.TierUnavailableException;

/**
 * The problem+json a failure of the core answers at the REST edge: a use case's refusal, a store or gateway outage
 * (both mapped by {@link KnowledgeProblems}) or contracts' own problem (a missing tenant). Anything else is not a
 * problem the API would answer, and fails the test.
 */
public final class Problems {

    private Problems() {}

    public static Problem of(Throwable failure) {
        if (failure instanceof KnowledgeRefusal refusal) {
            return KnowledgeProblems.problem(refusal);
        }
        if (failure instanceof TierUnavailableException down) {
            return KnowledgeProblems.problem(down);
        }
        if (failure instanceof DependencyUnavailableException down) {
            return KnowledgeProblems.problem(down);
        }
        if (failure instanceof ProblemException problem) {
            return problem.problem();
        }
        throw new AssertionError("not a problem the API answers: " + failure, failure);
    }
}
