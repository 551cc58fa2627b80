package dev.devloop.gateway.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventNames;
import dev.devloop.contracts.events.GrantRevoked;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.ports.out.PublishGrantRevocationPort;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Revocations on {@code devloop.grants.revocations} as signed {@link GrantRevoked} CloudEvents (source api-gateway,
 * the grant's tenant), keyed by grant id so one grant's revocations stay in order; returns once Kafka acknowledged
 * (acks=all).
 */
@ApplicationScoped
@RegisterForReflection(targets = GrantRevoked.class)
public class KafkaGrantRevocations implements PublishGrantRevocationPort {
    public static final String GRANT_REVOCATIONS_OUT = "grant-revocations-out";
    static final String SOURCE = EventNames.source("api-gateway");

    private final MutinyEmitter<String> revocations;
    private final KafkaEvents events;
    private final ObjectMapper json;
    private final GatewayConfig config;

    public KafkaGrantRevocations(
            @Channel(GRANT_REVOCATIONS_OUT) MutinyEmitter<String> revocations,
            KafkaEvents events,
            ObjectMapper json,
            GatewayConfig config) {
        this.revocations = revocations;
        this.events = events;
        this.json = json;
        this.config = config;
    }

    @Override
    public void publish(GrantRevoked revoked) {
        CloudEvent event = CloudEvent.of(
                SOURCE, GrantRevoked.TYPE, revoked.grantId(), revoked.tenant(), json.valueToTree(revoked));
        String payload = events.encode(event);
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(revoked.grantId())
                        .withHeaders(
                                events.signedHeaders(Topics.GRANT_REVOCATIONS, event.tenant(), event.id(), payload))
                        .build());
        try {
            revocations.sendMessage(message).await().atMost(config.grants().publishTimeout());
        } catch (RuntimeException e) {
            throw new Unavailable(
                    "revocation of grant " + revoked.grantId() + " not acknowledged: " + e.getMessage(), e);
        }
    }
}
