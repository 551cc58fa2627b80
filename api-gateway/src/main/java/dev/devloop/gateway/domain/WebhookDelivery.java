package dev.devloop.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One attempt to deliver one event to one webhook. The delivery id derives from webhook and event, so
 * the same event enqueued twice (a redelivery, or two gateway replicas) is the same delivery.
 */
public record WebhookDelivery(
        String deliveryId,
        String webhookId,
        String tenant,
        String eventId,
        String eventType,
        int attempt,
        long notBeforeEpochMs,
        String body) {
    public WebhookDelivery {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(body, "body");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
    }

    /** The first attempt of delivering {@code event} to {@code webhook}, due at once. */
    public static WebhookDelivery first(Webhook webhook, LiveEvent event) {
        return new WebhookDelivery(
                idFor(webhook.id(), event.id()),
                webhook.id(),
                webhook.tenant(),
                event.id(),
                event.type(),
                1,
                0L,
                event.json());
    }

    /** The next attempt, due at {@code notBeforeEpochMs}. */
    public WebhookDelivery next(long notBeforeEpochMs) {
        return new WebhookDelivery(
                deliveryId, webhookId, tenant, eventId, eventType, attempt + 1, notBeforeEpochMs, body);
    }

    /** {@code dlv-} and the first 32 hex digits of SHA-256 over webhook id and event id. */
    public static String idFor(String webhookId, String eventId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((webhookId + "\n" + eventId).getBytes(StandardCharsets.UTF_8));
            return "dlv-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
