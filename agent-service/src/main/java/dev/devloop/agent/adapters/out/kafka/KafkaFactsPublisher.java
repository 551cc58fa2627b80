package dev.devloop.agent.adapters.out.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.ports.out.FactsPort;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.KafkaEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Records facts through knowledge-service's asynchronous write path: {@code dev.devloop.knowledge.fact.write}
 * CloudEvents on {@code devloop.knowledge.facts}, keyed by entity. The event id derives from the tenant
 * and the dedup key, so a repeated write is one event to knowledge-service's idempotent consumer.
 */
@ApplicationScoped
class KafkaFactsPublisher implements FactsPort {
    static final String CHANNEL = "knowledge-facts";
    static final String TYPE = "dev.devloop.knowledge.fact.write";
    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;
    private final GraphSideWork sideWork;

    KafkaFactsPublisher(
            @Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, KafkaEvents events, GraphSideWork sideWork) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
        this.sideWork = sideWork;
    }

    @Override
    public void record(
            String tenant, String entity, String attribute, JsonNode value, Long ttlSeconds, String dedupKey) {
        ObjectNode data = json.createObjectNode().put("entity", entity).put("attribute", attribute);
        data.set("value", value);
        if (ttlSeconds != null) {
            data.put("ttlSeconds", ttlSeconds);
        }
        String id = UUID.nameUUIDFromBytes(
                        ("fact\u0000" + tenant + "\u0000" + dedupKey).getBytes(StandardCharsets.UTF_8))
                .toString();
        CloudEvent event = new CloudEvent(
                CloudEvent.SPEC_VERSION,
                id,
                AgentEvents.SOURCE,
                TYPE,
                Instant.now().toString(),
                entity,
                CloudEvent.JSON,
                tenant,
                data);
        // facts feed the knowledge graph: side work, bounded and behind a circuit breaker, never failing the run
        sideWork.run("knowledge-facts", () -> emitter.send(events.message(Topics.KNOWLEDGE_FACTS, entity, event)));
    }
}
