package dev.devloop.gateway.adapters.out.kafka;

import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.ports.out.PublishForgeEventPort;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Forge events on {@code devloop.forge.events}, keyed by tenant, written by contracts' codec and signed as
 * api-gateway's ({@code devloop-signature}); returns once Kafka acknowledged (acks=all).
 */
@ApplicationScoped
public class KafkaForgeEvents implements PublishForgeEventPort {
    public static final String FORGE_EVENTS_OUT = "forge-events-out";

    private final MutinyEmitter<String> events;
    private final CloudEventCodec codec;
    private final EventSignatures signatures;
    private final GatewayConfig config;

    public KafkaForgeEvents(
            @Channel(FORGE_EVENTS_OUT) MutinyEmitter<String> events,
            CloudEventCodec codec,
            EventSignatures signatures,
            GatewayConfig config) {
        this.events = events;
        this.codec = codec;
        this.signatures = signatures;
        this.config = config;
    }

    @Override
    public void publish(CloudEvent event) {
        String payload = codec.encode(event);
        String signature = signatures.sign(Topics.FORGE_EVENTS, event.tenant(), event.id(), payload);
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(event.tenant())
                        .withHeaders(new RecordHeaders()
                                .add(EventSignatures.SIGNATURE_HEADER, signature.getBytes(StandardCharsets.UTF_8)))
                        .build());
        try {
            events.sendMessage(message).await().atMost(config.github().publishTimeout());
        } catch (RuntimeException e) {
            throw new Unavailable("forge event " + event.id() + " not acknowledged: " + e.getMessage(), e);
        }
    }
}
