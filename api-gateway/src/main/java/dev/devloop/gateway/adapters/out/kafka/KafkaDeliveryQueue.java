package dev.devloop.gateway.adapters.out.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.ports.out.DeliveryQueuePort;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Queues deliveries on {@code devloop.webhook.deliveries} and dead-letters them, keyed by webhook id. */
@ApplicationScoped
public class KafkaDeliveryQueue implements DeliveryQueuePort {
    public static final String DELIVERIES_OUT = "webhook-deliveries-out";
    public static final String DLQ_OUT = "webhook-deliveries-dlq";

    private final MutinyEmitter<String> deliveries;
    private final MutinyEmitter<String> deadLetters;
    private final ObjectMapper json;
    private final GatewayConfig config;

    public KafkaDeliveryQueue(
            @Channel(DELIVERIES_OUT) MutinyEmitter<String> deliveries,
            @Channel(DLQ_OUT) MutinyEmitter<String> deadLetters,
            ObjectMapper json,
            GatewayConfig config) {
        this.deliveries = deliveries;
        this.deadLetters = deadLetters;
        this.json = json;
        this.config = config;
    }

    @Override
    public void enqueue(WebhookDelivery delivery) {
        send(deliveries, delivery);
    }

    @Override
    public void deadLetter(WebhookDelivery delivery) {
        send(deadLetters, delivery);
    }

    private void send(MutinyEmitter<String> emitter, WebhookDelivery delivery) {
        String payload;
        try {
            payload = json.writeValueAsString(delivery);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise delivery " + delivery.deliveryId(), e);
        }
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(delivery.webhookId())
                        .build());
        emitter.sendMessage(message).await().atMost(config.webhooks().enqueueTimeout());
    }
}
