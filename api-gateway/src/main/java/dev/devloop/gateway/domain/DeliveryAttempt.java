package dev.devloop.gateway.domain;

import java.time.Instant;

/** The record of one delivery attempt: outcome, the receiver's status (0 when none) and any error. */
public record DeliveryAttempt(
        String deliveryId,
        String webhookId,
        String tenant,
        String eventId,
        String eventType,
        int attempt,
        DeliveryOutcome outcome,
        int httpStatus,
        String error,
        Instant at) {

    /** The record of {@code delivery}'s attempt. */
    public static DeliveryAttempt of(
            WebhookDelivery delivery, DeliveryOutcome outcome, int httpStatus, String error, Instant at) {
        return new DeliveryAttempt(
                delivery.deliveryId(),
                delivery.webhookId(),
                delivery.tenant(),
                delivery.eventId(),
                delivery.eventType(),
                delivery.attempt(),
                outcome,
                httpStatus,
                error,
                at);
    }
}
