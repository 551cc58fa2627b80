package dev.devloop.gateway.adapters.out.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.ports.out.DeliveryQueuePort;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Queues deliveries on {@code devloop.webhook.deliveries} and dead-letters them, keyed by webhook id. Every record
 * is signed as api-gateway's ({@code devloop-signature} over the deliveries topic, the delivery's tenant and id and
 * the value), the only producer the delivery consumer accepts. A dead letter carries the headers SmallRye's
 * dead-letter queue writes and tool-service's {@code replay_dead_letters} reads: {@code dead-letter-topic} (the
 * deliveries topic, whose consumer carries the replay out) and {@code dead-letter-reason}; its signature is for the
 * deliveries topic, so the replay (same value, headers but the {@code dead-letter-*} ones) verifies there.
 */
@ApplicationScoped
public class KafkaDeliveryQueue implements DeliveryQueuePort {
    public static final String DELIVERIES_OUT = "webhook-deliveries-out";
    public static final String DLQ_OUT = "webhook-deliveries-dlq";
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";

    private final MutinyEmitter<String> deliveries;
    private final MutinyEmitter<String> deadLetters;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final String deliveriesTopic;
    private final EventSignatures signatures;

    public KafkaDeliveryQueue(
            @Channel(DELIVERIES_OUT) MutinyEmitter<String> deliveries,
            @Channel(DLQ_OUT) MutinyEmitter<String> deadLetters,
            ObjectMapper json,
            GatewayConfig config,
            @ConfigProperty(name = "mp.messaging.incoming.webhook-deliveries.topic") String deliveriesTopic,
            EventSignatures signatures) {
        this.deliveries = deliveries;
        this.deadLetters = deadLetters;
        this.json = json;
        this.config = config;
        this.deliveriesTopic = deliveriesTopic;
        this.signatures = signatures;
    }

    @Override
    public void enqueue(WebhookDelivery delivery) {
        send(deliveries, delivery, new RecordHeaders());
    }

    @Override
    public void deadLetter(WebhookDelivery replay, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DEAD_LETTER_TOPIC, deliveriesTopic.getBytes(StandardCharsets.UTF_8));
        headers.add(DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        send(deadLetters, replay, headers);
    }

    private void send(MutinyEmitter<String> emitter, WebhookDelivery delivery, RecordHeaders headers) {
        String payload;
        try {
            payload = json.writeValueAsString(delivery);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise delivery " + delivery.deliveryId(), e);
        }
        String signature =
                signatures.sign(Topics.WEBHOOK_DELIVERIES, delivery.tenant(), delivery.deliveryId(), payload);
        headers.add(EventSignatures.SIGNATURE_HEADER, signature.getBytes(StandardCharsets.UTF_8));
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(delivery.webhookId())
                        .withHeaders(headers)
                        .build());
        emitter.sendMessage(message).await().atMost(config.webhooks().enqueueTimeout());
    }
}
