package dev.devloop.knowledge.adapters.in.kafka;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventNames;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.ports.in.ApplyFactWriteUseCase;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.StoreFactCommand;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes asynchronous fact writes from {@code devloop.knowledge.facts} (type {@code dev.devloop.knowledge.fact.write}, data
 * {@code {entity, attribute, value, ttlSeconds}}), signed by a producer the topic allows ({@link EventIntake}); a
 * failure nacks the record, which the channel's dead-letter strategy sends to {@code devloop.knowledge.facts.dlq}.
 */
@ApplicationScoped
public class FactWriteConsumer {
    static final String CHANNEL = "knowledge-facts";
    static final String TYPE = EventNames.type("knowledge", "fact.write");

    private final ConsumerDrain drain;
    private final EventIntake events;
    private final ApplyFactWriteUseCase facts;

    public FactWriteConsumer(EventIntake events, ApplyFactWriteUseCase facts, ConsumerDrain drain) {
        this.drain = drain;
        this.events = events;
        this.facts = facts;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        drain.run(() -> apply(record));
    }

    private void apply(ConsumerRecord<String, String> record) {
        try {
            CloudEvent event = events.accept(Topics.KNOWLEDGE_FACTS, record);
            if (!TYPE.equals(event.type())) {
                throw new PoisonEventException(
                        "event " + event.id() + " has type " + event.type() + ", expected " + TYPE);
            }
            StoreFactCommand command = new StoreFactCommand(
                    event.tenant(),
                    EventData.requiredText(event, "entity"),
                    EventData.requiredText(event, "attribute"),
                    EventData.jsonText(event, "value"),
                    EventData.optionalLong(event, "ttlSeconds"));
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
