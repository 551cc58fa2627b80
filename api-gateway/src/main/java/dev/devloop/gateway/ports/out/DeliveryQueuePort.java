package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.WebhookDelivery;

/** Outgoing port: the durable queue of pending deliveries and its dead-letter queue. */
public interface DeliveryQueuePort {

    void enqueue(WebhookDelivery delivery);

    /**
     * Dead-letters {@code replay} (the attempt a replay will carry out) with {@code reason}; the record names the
     * queue to replay it to, so republishing it as is makes the delivery happen again.
     */
    void deadLetter(WebhookDelivery replay, String reason);
}
