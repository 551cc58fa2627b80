package dev.devloop.tools.adapters.out.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.tools.config.ToolServiceConfig;
import dev.devloop.tools.ports.out.ForgeEventsPort;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The local forge's events on {@code devloop.forge.events}: source {@code /devloop/tool-service/local-forge}, type
 * {@code dev.devloop.forge.github.<event>}, key and {@code tenant} extension the tenant, subject the repository's
 * full name; acknowledged by the broker before the call returns (through publish_event's producer).
 */
@ApplicationScoped
class KafkaForgeEvents implements ForgeEventsPort {
    static final String SOURCE = "/devloop/tool-service/local-forge";
    static final String TYPE_PREFIX = "dev.devloop.forge.github.";
    private final KafkaEventPublisher publisher;
    private final String topic;

    KafkaForgeEvents(KafkaEventPublisher publisher, ToolServiceConfig config) {
        this.publisher = publisher;
        this.topic = config.forge().eventsTopic();
    }

    @Override
    public String publish(String tenant, String subject, String event, JsonNode payload) {
        return publisher.send(
                topic,
                Topics.FORGE_EVENTS,
                tenant,
                CloudEvent.of(SOURCE, TYPE_PREFIX + event, subject, tenant, payload));
    }
}
