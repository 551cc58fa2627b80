package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.DeliveryAttempt;
import dev.devloop.gateway.domain.WebhookDelivery;
import java.util.List;

/** Outgoing port: the log of delivery attempts, which also makes each attempt happen at most once. */
public interface DeliveryLogPort {

    /** Claims this delivery attempt; false when it was claimed before (a duplicate). */
    boolean claim(WebhookDelivery delivery);

    /** Gives a claimed attempt back (its processing failed before an outcome), so a redelivery may retry it. */
    void release(WebhookDelivery delivery);

    /** True when the delivery already succeeded in some attempt. */
    boolean delivered(String tenant, String deliveryId);

    /** Records the attempt's outcome (replacing its claim). */
    void record(DeliveryAttempt attempt);

    /** The latest attempts for a webhook of a tenant, newest first. */
    List<DeliveryAttempt> latest(String tenant, String webhookId, int limit);
}
