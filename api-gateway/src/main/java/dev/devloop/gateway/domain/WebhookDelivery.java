package dev.devloop.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One attempt to deliver one event to one webhook. The delivery id derives from webhook and event, so
 * the same event enqueued twice (a redelivery, or two gateway replicas) is the same delivery. Attempts are
 * numbered on across rounds: {@code roundStart} is the attempt that began the current round of retries (1, or
 * the first attempt of a replay from the dead-letter topic), so a replay gets the full retry budget again.
 */
public record WebhookDelivery(
        String deliveryId,
        String webhookId,
        String tenant,
        String eventId,
        String eventType,
        int attempt,
        int roundStart,
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
        if (roundStart < 1) {
            roundStart = 1; // queued before rounds existed: its round began with attempt 1
        }
        if (roundStart > attempt) {
            throw new IllegalArgumentException("roundStart must not be after attempt");
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
                1,
                0L,
                event.json());
    }

    /** The next attempt of this round, due at {@code notBeforeEpochMs}. */
    public WebhookDelivery next(long notBeforeEpochMs) {
        return new WebhookDelivery(
                deliveryId, webhookId, tenant, eventId, eventType, attempt + 1, roundStart, notBeforeEpochMs, body);
    }

    /**
     * What the dead-letter topic holds once this attempt, the last of its round, failed: the first attempt of a
     * new round, due at once. Replaying that record is therefore a new attempt number, never one already claimed.
     */
    public WebhookDelivery replay() {
        return new WebhookDelivery(
                deliveryId, webhookId, tenant, eventId, eventType, attempt + 1, attempt + 1, 0L, body);
    }

    /** This attempt's place in its round (1-based): what the retry policy counts. */
    public int attemptInRound() {
        return attempt - roundStart + 1;
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
