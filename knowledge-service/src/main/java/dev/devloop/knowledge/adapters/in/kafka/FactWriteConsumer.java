package dev.devloop.knowledge.adapters.in.kafka;

import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.ports.in.ApplyFactWriteUseCase;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes asynchronous fact writes from {@code devloop.knowledge.facts} (type {@value #TYPE}, data
 * {@code {entity, attribute, value, ttlSeconds}}); a failure nacks the record, which the channel's
 * dead-letter strategy sends to {@code devloop.knowledge.facts.dlq}.
 */
@ApplicationScoped
public class FactWriteConsumer {
    static final String CHANNEL = "knowledge-facts";
    static final String TYPE = "dev.devloop.knowledge.fact.write";

    private final ConsumerDrain drain;
    private final CloudEventReader events;
    private final ApplyFactWriteUseCase facts;

    public FactWriteConsumer(CloudEventReader events, ApplyFactWriteUseCase facts, ConsumerDrain drain) {
        this.drain = drain;
        this.events = events;
        this.facts = facts;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(String payload) {
        drain.run(() -> apply(payload));
    }

    private void apply(String payload) {
        try {
            CloudEvent event = events.read(payload);
            if (!TYPE.equals(event.type())) {
                throw new PoisonEventException(
                        "event " + event.id() + " has type " + event.type() + ", expected " + TYPE);
            }
            StoreFactCommand command = new StoreFactCommand(
                    event.tenant(),
                    events.requiredText(event, "entity"),
                    events.requiredText(event, "attribute"),
                    events.jsonText(event, "value"),
                    events.optionalLong(event, "ttlSeconds"));
            try {
                facts.apply(event.id(), command);
            } catch (KnowledgeRefusal | ProblemException e) {
                throw EventRejections.rejected(event.id(), e, true);
            }
        } catch (RuntimeException e) {
            Log.warnf("fact write event %s: %s", drain.fate(), e.getMessage());
            throw e;
        }
    }
}
