package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.DeliveryOutcome;
import dev.devloop.gateway.domain.LiveEvent;
import dev.devloop.gateway.domain.WebhookDelivery;
import java.util.Optional;

/** Incoming port: turn events into queued deliveries, and carry out one queued delivery attempt. */
public interface DispatchWebhooksUseCase {

    /** Queues a delivery for each of the event's tenant's webhooks that want its type; returns how many. */
    int enqueue(LiveEvent event);

    /** Attempts one delivery (once per delivery id and attempt); empty when it was a duplicate. */
    Optional<DeliveryOutcome> deliver(WebhookDelivery delivery);
}
