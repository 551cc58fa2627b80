package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.WebhookDelivery;

/** Outgoing port: the durable queue of pending deliveries and its dead-letter queue. */
public interface DeliveryQueuePort {

    void enqueue(WebhookDelivery delivery);

    void deadLetter(WebhookDelivery delivery);
}
