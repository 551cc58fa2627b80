package dev.devloop.tools.ports.out;

import com.fasterxml.jackson.databind.JsonNode;

/** Outgoing port publishing an agent's event as a CloudEvent on a Kafka topic. */
public interface EventPublisherPort {
    /** Publishes and returns the event id; failures surface as {@link DownstreamException}. */
    String publish(String topic, String key, String tenant, String type, String subject, JsonNode data);
}
