package dev.devloop.knowledge.adapters.in.kafka;

import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;

/**
 * The Kafka edge of the use cases' refusals: an event whose data a use case refuses as invalid (a
 * {@link KnowledgeRefusal.Reason#INVALID} refusal, or contracts' 400 for a malformed tenant) can never be applied, so it
 * is a {@link PoisonEventException}; any other failure is rethrown as it is.
 */
final class EventRejections {

    private EventRejections() {}

    /** What to throw for {@code failure} while applying event {@code eventId}; {@code namingField} puts the field first. */
    static RuntimeException rejected(String eventId, RuntimeException failure, boolean namingField) {
        if (failure instanceof KnowledgeRefusal refusal && refusal.reason() == KnowledgeRefusal.Reason.INVALID) {
            return poison(eventId, refusal.field(), refusal.detail(), namingField, failure);
        }
        if (failure instanceof ProblemException problem && problem.problem().status() == 400) {
            return poison(eventId, problem.problem().field(), problem.problem().detail(), namingField, failure);
        }
        return failure;
    }

    private static PoisonEventException poison(
            String eventId, String field, String detail, boolean namingField, RuntimeException cause) {
        String why = namingField ? field + ": " + detail : detail;
        return new PoisonEventException("event " + eventId + " rejected: " + why, cause);
    }
}
