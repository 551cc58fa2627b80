package dev.devloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devloop.gateway.domain.DeliveryAttempt;
import dev.devloop.gateway.domain.DeliveryOutcome;
import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import dev.devloop.gateway.domain.RetryPolicy;
import dev.devloop.gateway.domain.Webhook;
import dev.devloop.gateway.domain.WebhookDelivery;
import dev.devloop.gateway.domain.WebhookSignature;
import dev.devloop.gateway.ports.out.DeliveryLogPort;
import dev.devloop.gateway.ports.out.DeliveryQueuePort;
import dev.devloop.gateway.ports.out.WebhookSenderPort;
import dev.devloop.gateway.ports.out.WebhookStorePort;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Webhook dispatch with hand-written in-memory ports: matching, signing, retries, dead-lettering, idempotency. */
class WebhookDispatchServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String SECRET = "a-test-secret-0123456789";

    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryLog log = new InMemoryLog();
    private final InMemoryQueue queue = new InMemoryQueue();
    private final ScriptedSender sender = new ScriptedSender();
    private final WebhookUrlRules rules = new WebhookUrlRules(
            host -> {
                try {
                    return List.of(InetAddress.getByName("93.184.216.34"));
                } catch (java.io.IOException e) {
                    return List.of();
                }
            },
            Set.of(),
            2048);
    private final WebhookDispatchService service = new WebhookDispatchService(
            store,
            log,
            queue,
            sender,
            rules,
            new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30)),
            20,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private final Webhook hook = new Webhook(
            "wh-1", "acme", "https://hooks.example.com/x", Set.of("dev.devloop.agent.run.finished"), SECRET, NOW);
    private final LiveEvent finished = new LiveEvent(
            "ev-1",
            "dev.devloop.agent.run.finished",
            "acme",
            EventChannel.RESULTS,
            "{\"id\":\"ev-1\",\"type\":\"dev.devloop.agent.run.finished\"}");

    @Test
    void onlyTheTenantsWebhooksWantingTheTypeGetADelivery() {
        store.save(hook);
        store.save(new Webhook(
                "wh-2", "acme", "https://hooks.example.com/y", Set.of("dev.devloop.agent.spawned"), SECRET, NOW));
        store.save(new Webhook(
                "wh-3", "other", "https://hooks.example.com/z", Set.of("dev.devloop.agent.run.finished"), SECRET, NOW));
        assertThat(service.enqueue(finished)).isEqualTo(1);
        assertThat(queue.pending).singleElement().satisfies(d -> {
            assertThat(d.webhookId()).isEqualTo("wh-1");
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.body()).isEqualTo(finished.json());
            assertThat(d.deliveryId()).isEqualTo(WebhookDelivery.idFor("wh-1", "ev-1"));
        });
    }

    @Test
    void usageEventsMatchSubscriptionsToTheirOldAndNewTypeOnceEach() {
        store.save(new Webhook("wh-old", "acme", "https://hooks.example.com/o", Set.of("provider.usage"), SECRET, NOW));
        store.save(new Webhook(
                "wh-new", "acme", "https://hooks.example.com/n", Set.of("dev.devloop.provider.usage"), SECRET, NOW));
        store.save(new Webhook(
                "wh-both",
                "acme",
                "https://hooks.example.com/b",
                Set.of("provider.usage", "dev.devloop.provider.usage"),
                SECRET,
                NOW));
        for (String type : List.of("provider.usage", "dev.devloop.provider.usage")) {
            queue.pending.clear();
            LiveEvent usage = new LiveEvent("ev-u", type, "acme", EventChannel.USAGE, "{\"id\":\"ev-u\"}");
            assertThat(service.enqueue(usage)).as(type).isEqualTo(3);
            assertThat(queue.pending)
                    .extracting(WebhookDelivery::webhookId)
                    .containsExactlyInAnyOrder("wh-old", "wh-new", "wh-both");
        }
    }

    @Test
    void aDeliveryIsSignedOverTimestampAndExactBody() {
        store.save(hook);
        sender.answers.add(204);
        assertThat(service.deliver(WebhookDelivery.first(hook, finished))).contains(DeliveryOutcome.DELIVERED);
        Map<String, String> headers = sender.headers.get(0);
        long t = NOW.getEpochSecond();
        assertThat(headers.get(WebhookSignature.HEADER))
                .isEqualTo("t=" + t + ",v1=" + WebhookSignature.hmacHex(SECRET, t + "." + finished.json()));
        assertThat(headers)
                .containsEntry("Devloop-Event-Id", "ev-1")
                .containsEntry("Devloop-Event-Type", "dev.devloop.agent.run.finished");
        assertThat(sender.bodies).containsExactly(finished.json());
        assertThat(log.attempts).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
            assertThat(a.httpStatus()).isEqualTo(204);
        });
    }

    @Test
    void failuresAreRetriedWithGrowingBackoffThenDeadLettered() {
        store.save(hook);
        sender.answers.addAll(List.of(500, 503, 502));
        WebhookDelivery first = WebhookDelivery.first(hook, finished);
        assertThat(service.deliver(first)).contains(DeliveryOutcome.RETRY_SCHEDULED);
        WebhookDelivery second = queue.pending.removeFirst();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.notBeforeEpochMs()).isEqualTo(NOW.toEpochMilli() + 1000);
        assertThat(service.deliver(second)).contains(DeliveryOutcome.RETRY_SCHEDULED);
        WebhookDelivery third = queue.pending.removeFirst();
        assertThat(third.notBeforeEpochMs()).isEqualTo(NOW.toEpochMilli() + 2000);
        assertThat(service.deliver(third)).contains(DeliveryOutcome.DEAD_LETTERED);
        assertThat(queue.pending).isEmpty();
        assertThat(queue.dead).containsExactly(third.replay());
        assertThat(queue.reasons)
                .containsExactly("attempt 3 (the last of 3 in its round) failed: receiver answered 502");
        assertThat(log.attempts).extracting(DeliveryAttempt::httpStatus).containsExactly(500, 503, 502);
    }

    @Test
    void aDeadLetterIsTheFirstAttemptOfANewRoundAndReplayingItTwiceDeliversOnce() {
        store.save(hook);
        sender.answers.addAll(List.of(500, 500, 500, 200));
        deliverUntilDeadLettered(WebhookDelivery.first(hook, finished));
        WebhookDelivery dead = queue.dead.get(0);
        assertThat(dead.attempt()).isEqualTo(4);
        assertThat(dead.roundStart()).isEqualTo(4);
        assertThat(dead.notBeforeEpochMs()).as("due at once").isZero();
        assertThat(dead.deliveryId()).isEqualTo(WebhookDelivery.idFor("wh-1", "ev-1"));

        assertThat(service.deliver(dead)).contains(DeliveryOutcome.DELIVERED);
        assertThat(service.deliver(dead)).as("the same replay again").isEmpty();
        assertThat(service.deliver(WebhookDelivery.first(hook, finished)))
                .as("the event again")
                .isEmpty();
        assertThat(sender.bodies).hasSize(4).allMatch(finished.json()::equals);
        assertThat(sender.headers.get(3))
                .containsEntry("Devloop-Delivery-Attempt", "4")
                .containsEntry(
                        WebhookSignature.HEADER,
                        "t=" + NOW.getEpochSecond() + ",v1="
                                + WebhookSignature.hmacHex(SECRET, NOW.getEpochSecond() + "." + finished.json()));
        assertThat(log.attempts)
                .extracting(a -> a.attempt() + ":" + a.outcome())
                .containsExactly("1:RETRY_SCHEDULED", "2:RETRY_SCHEDULED", "3:DEAD_LETTERED", "4:DELIVERED");
    }

    @Test
    void aReplayThatFailsAgainGetsAFullRoundWithItsOwnBackoffThenIsDeadLetteredAgain() {
        store.save(hook);
        sender.answers.addAll(List.of(500, 500, 500, 503, 503, 503));
        deliverUntilDeadLettered(WebhookDelivery.first(hook, finished));
        WebhookDelivery replay = queue.dead.remove(0);
        assertThat(service.deliver(replay)).contains(DeliveryOutcome.RETRY_SCHEDULED);
        WebhookDelivery fifth = queue.pending.removeFirst();
        assertThat(fifth.attempt()).isEqualTo(5);
        assertThat(fifth.notBeforeEpochMs())
                .as("the round's first back-off, not the sixth's")
                .isEqualTo(NOW.toEpochMilli() + 1000);
        deliverUntilDeadLettered(fifth);
        assertThat(queue.dead).singleElement().satisfies(d -> {
            assertThat(d.attempt()).isEqualTo(7);
            assertThat(d.roundStart()).isEqualTo(7);
        });
        assertThat(queue.reasons.get(1))
                .isEqualTo("attempt 6 (the last of 3 in its round) failed: receiver answered 503");
        assertThat(sender.bodies).hasSize(6);
    }

    @Test
    void aDeliveryQueuedBeforeRoundsExistedCountsFromTheFirstAttempt() throws Exception {
        WebhookDelivery old = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(
                        "{\"deliveryId\":\"dlv-1\",\"webhookId\":\"wh-1\",\"tenant\":\"acme\",\"eventId\":\"ev-1\","
                                + "\"eventType\":\"t\",\"attempt\":3,\"notBeforeEpochMs\":0,\"body\":\"{}\"}",
                        WebhookDelivery.class);
        assertThat(old.roundStart()).isEqualTo(1);
        assertThat(old.attemptInRound()).isEqualTo(3);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(old))
                .as("only the record's components are written")
                .contains("\"roundStart\":1")
                .doesNotContain("attemptInRound");
    }

    @Test
    void theSameAttemptIsCarriedOutOnceAndNothingAfterSuccess() {
        store.save(hook);
        sender.answers.addAll(List.of(200, 200));
        WebhookDelivery first = WebhookDelivery.first(hook, finished);
        assertThat(service.deliver(first)).isPresent();
        assertThat(service.deliver(first)).isEmpty();
        assertThat(service.deliver(first.next(0))).as("already delivered").isEmpty();
        assertThat(sender.bodies).hasSize(1);
    }

    @Test
    void aDeletedWebhookDropsItsDelivery() {
        assertThat(service.deliver(WebhookDelivery.first(hook, finished))).contains(DeliveryOutcome.DROPPED);
        assertThat(sender.bodies).isEmpty();
    }

    @Test
    void aFailedHopReleasesTheClaimSoARedeliveryRetries() {
        store.save(hook);
        sender.failWith = new IllegalStateException("kafka down");
        WebhookDelivery first = WebhookDelivery.first(hook, finished);
        try {
            service.deliver(first);
        } catch (IllegalStateException expected) {
            // the consumer fails the message; Kafka redelivers it
        }
        sender.failWith = null;
        sender.answers.add(200);
        assertThat(service.deliver(first)).contains(DeliveryOutcome.DELIVERED);
    }

    /** Delivers {@code delivery} and the retries it queues until one is dead-lettered. */
    private void deliverUntilDeadLettered(WebhookDelivery delivery) {
        int dead = queue.dead.size();
        WebhookDelivery next = delivery;
        while (true) {
            service.deliver(next);
            if (queue.dead.size() > dead) {
                return;
            }
            next = queue.pending.removeFirst();
        }
    }

    @Test
    void backoffIsCapped() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoffAfter(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoffAfter(64)).isEqualTo(Duration.ofSeconds(5));
    }

    /** Webhooks in a map. */
    private static final class InMemoryStore implements WebhookStorePort {
        final Map<String, Webhook> hooks = new LinkedHashMap<>();

        @Override
        public void save(Webhook webhook) {
            hooks.put(webhook.id(), webhook);
        }

        @Override
        public List<Webhook> list(String tenant, int limit) {
            return hooks.values().stream()
                    .filter(w -> w.tenant().equals(tenant))
                    .limit(limit)
                    .toList();
        }

        @Override
        public long count(String tenant) {
            return list(tenant, Integer.MAX_VALUE).size();
        }

        @Override
        public Optional<Webhook> find(String tenant, String id) {
            return Optional.ofNullable(hooks.get(id)).filter(w -> w.tenant().equals(tenant));
        }

        @Override
        public boolean delete(String tenant, String id) {
            return find(tenant, id).map(w -> hooks.remove(id) != null).orElse(false);
        }

        @Override
        public List<Webhook> subscribedTo(String tenant, String eventType, int limit) {
            return list(tenant, limit).stream().filter(w -> w.wants(eventType)).toList();
        }
    }

    /** Attempts in a list, claims in a map. */
    private static final class InMemoryLog implements DeliveryLogPort {
        final Map<String, String> claims = new HashMap<>();
        final List<DeliveryAttempt> attempts = new ArrayList<>();

        @Override
        public boolean claim(WebhookDelivery delivery) {
            return claims.putIfAbsent(delivery.deliveryId() + "#" + delivery.attempt(), "IN_FLIGHT") == null;
        }

        @Override
        public void release(WebhookDelivery delivery) {
            claims.remove(delivery.deliveryId() + "#" + delivery.attempt());
        }

        @Override
        public boolean delivered(String tenant, String deliveryId) {
            return attempts.stream()
                    .anyMatch(a -> a.tenant().equals(tenant)
                            && a.deliveryId().equals(deliveryId)
                            && a.outcome() == DeliveryOutcome.DELIVERED);
        }

        @Override
        public void record(DeliveryAttempt attempt) {
            attempts.add(attempt);
        }

        @Override
        public List<DeliveryAttempt> latest(String tenant, String webhookId, int limit) {
            return attempts.stream()
                    .filter(a -> a.tenant().equals(tenant) && a.webhookId().equals(webhookId))
                    .limit(limit)
                    .toList();
        }
    }

    /** Queued and dead-lettered deliveries in memory. */
    private static final class InMemoryQueue implements DeliveryQueuePort {
        final Deque<WebhookDelivery> pending = new ArrayDeque<>();
        final List<WebhookDelivery> dead = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        @Override
        public void enqueue(WebhookDelivery delivery) {
            pending.addLast(delivery);
        }

        @Override
        public void deadLetter(WebhookDelivery replay, String reason) {
            dead.add(replay);
            reasons.add(reason);
        }
    }

    /** Answers with queued statuses and records what it was sent. */
    private static final class ScriptedSender implements WebhookSenderPort {
        final Deque<Integer> answers = new ArrayDeque<>();
        final List<Map<String, String>> headers = new ArrayList<>();
        final List<String> bodies = new ArrayList<>();
        RuntimeException failWith;

        @Override
        public Answer post(String url, Map<String, String> sent, String body) {
            if (failWith != null) {
                throw failWith;
            }
            headers.add(Map.copyOf(sent));
            bodies.add(body);
            return new Answer(answers.removeFirst(), null);
        }
    }
}
