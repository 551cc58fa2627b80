package dev.devloop.gateway.adapters.out.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.ports.out.PublishForgeEventPort;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Forge events on {@code devloop.forge.events}, keyed by tenant; returns once Kafka acknowledged (acks=all). */
@ApplicationScoped
public class KafkaForgeEvents implements PublishForgeEventPort {
    public static final String FORGE_EVENTS_OUT = "forge-events-out";

    private final MutinyEmitter<String> events;
    private final ObjectMapper json;
    private final GatewayConfig config;

    public KafkaForgeEvents(
            @Channel(FORGE_EVENTS_OUT) MutinyEmitter<String> events, ObjectMapper json, GatewayConfig config) {
        this.events = events;
        this.json = json;
        this.config = config;
    }

    @Override
    public void publish(CloudEvent event) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise forge event " + event.id(), e);
        }
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(event.tenant())
                        .build());
        try {
            events.sendMessage(message).await().atMost(config.github().publishTimeout());
        } catch (RuntimeException e) {
            throw new Unavailable("forge event " + event.id() + " not acknowledged: " + e.getMessage(), e);
        }
    }
}
