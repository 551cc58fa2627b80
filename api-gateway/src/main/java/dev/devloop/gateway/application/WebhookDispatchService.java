package dev.devloop.gateway.application;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.domain.DeliveryAttempt;
import dev.devloop.gateway.domain.DeliveryOutcome;
import dev.devloop.gateway.domain.EventTypeAliases;
import dev.devloop.gateway.domain.LiveEvent;
import dev.devloop.gateway.domain.RetryPolicy;
import dev.devloop.gateway.domain.Webhook;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.domain.WebhookSignature;
import dev.devloop.gateway.ports.in.DispatchWebhooksUseCase;
import dev.devloop.gateway.ports.out.DeliveryLogPort;
import dev.devloop.gateway.ports.out.DeliveryQueuePort;
import dev.devloop.gateway.ports.out.WebhookSenderPort;
import dev.devloop.gateway.ports.out.WebhookStorePort;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Queues a delivery per matching webhook, and carries out one attempt: at most once per delivery id and
 * attempt, signed, POSTed; a failure is re-queued with back-off until the last attempt of its round, then
 * dead-lettered as the first attempt of a new round (so a replay of the dead letter is a fresh attempt, and
 * replaying it twice is the same attempt, claimed once). Nothing is sent once any attempt was delivered.
 */
public final class WebhookDispatchService implements DispatchWebhooksUseCase {
    public static final String EVENT_ID = "Devloop-Event-Id";
    public static final String EVENT_TYPE = "Devloop-Event-Type";
    public static final String DELIVERY_ID = "Devloop-Delivery-Id";
    public static final String DELIVERY_ATTEMPT = "Devloop-Delivery-Attempt";
    private static final int MAX_ERROR_CHARS = 500;

    private final WebhookStorePort store;
    private final DeliveryLogPort log;
    private final DeliveryQueuePort queue;
    private final WebhookSenderPort sender;
    private final WebhookUrlRules urlRules;
    private final RetryPolicy retries;
    private final int maxWebhooksPerTenant;
    private final Clock clock;

    public WebhookDispatchService(
            WebhookStorePort store,
            DeliveryLogPort log,
            DeliveryQueuePort queue,
            WebhookSenderPort sender,
            WebhookUrlRules urlRules,
            RetryPolicy retries,
            int maxWebhooksPerTenant,
            Clock clock) {
        this.store = store;
        this.log = log;
        this.queue = queue;
        this.sender = sender;
        this.urlRules = urlRules;
        this.retries = retries;
        this.maxWebhooksPerTenant = maxWebhooksPerTenant;
        this.clock = clock;
    }

    @Override
    public int enqueue(LiveEvent event) {
        Map<String, Webhook> webhooks = new LinkedHashMap<>();
        for (String type : EventTypeAliases.namesOf(event.type())) {
            for (Webhook webhook : store.subscribedTo(event.tenant(), type, maxWebhooksPerTenant)) {
                webhooks.putIfAbsent(webhook.id(), webhook);
            }
        }
        for (Webhook webhook : webhooks.values()) {
            queue.enqueue(WebhookDelivery.first(webhook, event));
        }
        return webhooks.size();
    }

    @Override
    public Optional<DeliveryOutcome> deliver(WebhookDelivery delivery) {
        if (log.delivered(delivery.tenant(), delivery.deliveryId()) || !log.claim(delivery)) {
            return Optional.empty();
        }
        try {
            return Optional.of(attempt(delivery));
        } catch (RuntimeException e) {
            log.release(delivery);
            throw e;
        }
    }

    private DeliveryOutcome attempt(WebhookDelivery delivery) {
        Optional<Webhook> found = store.find(delivery.tenant(), delivery.webhookId());
        if (found.isEmpty()) {
            return record(delivery, DeliveryOutcome.DROPPED, 0, "the webhook was deleted");
        }
        Webhook webhook = found.get();
        try {
            urlRules.check(webhook.url());
        } catch (Refusal e) {
            return record(delivery, DeliveryOutcome.DROPPED, 0, "url refused: " + e.detail());
        }
        Instant now = clock.instant();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(
                WebhookSignature.HEADER,
                WebhookSignature.header(webhook.secret(), now.getEpochSecond(), delivery.body()));
        headers.put(EVENT_ID, delivery.eventId());
        headers.put(EVENT_TYPE, delivery.eventType());
        headers.put(DELIVERY_ID, delivery.deliveryId());
        headers.put(DELIVERY_ATTEMPT, Integer.toString(delivery.attempt()));
        WebhookSenderPort.Answer answer = sender.post(webhook.url(), headers, delivery.body());
        if (answer.success()) {
            return record(delivery, DeliveryOutcome.DELIVERED, answer.status(), null);
        }
        String error = answer.error() != null ? answer.error() : "receiver answered " + answer.status();
        if (retries.mayRetryAfter(delivery.attemptInRound())) {
            long notBefore = clock.millis()
                    + retries.backoffAfter(delivery.attemptInRound()).toMillis();
            queue.enqueue(delivery.next(notBefore));
            return record(delivery, DeliveryOutcome.RETRY_SCHEDULED, answer.status(), error);
        }
        queue.deadLetter(
                delivery.replay(),
                bounded("attempt " + delivery.attempt() + " (the last of " + delivery.attemptInRound()
                        + " in its round) failed: " + error));
        return record(delivery, DeliveryOutcome.DEAD_LETTERED, answer.status(), error);
    }

    private DeliveryOutcome record(WebhookDelivery delivery, DeliveryOutcome outcome, int status, String error) {
        log.record(DeliveryAttempt.of(delivery, outcome, status, bounded(error), clock.instant()));
        return outcome;
    }

    private static String bounded(String error) {
        return error == null || error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS);
    }
}
