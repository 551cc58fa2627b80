package dev.devloop.knowledge.adapters.in.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventNames;
import dev.devloop.knowledge.adapters.out.kafka.KafkaCacheEvents;
import dev.devloop.knowledge.domain.CacheInvalidation;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.ports.in.CacheUseCase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Applies {@code devloop.cache.invalidation} events meant for this service's cache ({@code data.cache} =
 * {@code knowledge}, type {@code dev.devloop.cache.invalidated}); events for other caches (provider-gateway, …) are
 * skipped. Region bumps happen once per event id (claimed in Redis, so across replicas and redeliveries);
 * key evictions are repeated, which is harmless. Records must be signed by knowledge-service ({@link EventIntake});
 * unusable or refused ones go to {@code devloop.cache.invalidation.dlq}.
 */
@ApplicationScoped
public class CacheInvalidationConsumer {
    static final String CHANNEL = "cache-invalidation";
    /** The type {@link KafkaCacheEvents} publishes (named here too: adapters meet only through ports). */
    static final String TYPE = EventNames.type("cache", "invalidated");

    static final int MAX_KEYS = 1000;
    static final int MAX_KEY_LENGTH = 2048;

    private final ConsumerDrain drain;
    private final EventIntake events;
    private final CacheUseCase cache;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public CacheInvalidationConsumer(
            EventIntake events, CacheUseCase cache, MeterRegistry registry, ConsumerDrain drain) {
        this.drain = drain;
        this.events = events;
        this.cache = cache;
        this.registry = registry;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        drain.run(() -> apply(record));
    }

    private void apply(ConsumerRecord<String, String> record) {
        try {
            CloudEvent event = events.accept(Topics.CACHE_INVALIDATION, record);
            if (!KafkaCacheEvents.CACHE.equals(event.data().path("cache").asText(null))) {
                count("ignored");
                return;
            }
            if (!TYPE.equals(event.type())) {
                throw new PoisonEventException(
                        "event " + event.id() + " has type " + event.type() + ", expected " + TYPE);
            }
            CacheInvalidation invalidation = new CacheInvalidation(
                    event.id(),
                    event.tenant(),
                    regions(event),
                    keys(event),
                    event.data().path("reason").asText(""));
            count(cache.apply(invalidation) ? "applied" : "duplicate");
        } catch (RuntimeException e) {
            count("rejected");
            Log.warnf("cache invalidation event %s: %s", drain.fate(), e.getMessage());
            throw e;
        }
    }

    private static Set<CacheRegion> regions(CloudEvent event) {
        Set<CacheRegion> regions = EnumSet.noneOf(CacheRegion.class);
        JsonNode node = event.data().path("regions");
        if (node.isMissingNode() || node.isNull()) {
            return regions;
        }
        if (!node.isArray()) {
            throw new PoisonEventException("event " + event.id() + " data.regions is not an array");
        }
        for (JsonNode region : node) {
            regions.add(CacheRegion.parse(region.asText(null))
                    .orElseThrow(
                            () -> new PoisonEventException("event " + event.id() + " names unknown region " + region)));
        }
        return regions;
    }

    private static List<String> keys(CloudEvent event) {
        List<String> keys = new ArrayList<>();
        JsonNode node = event.data().path("keys");
        if (node.isMissingNode() || node.isNull()) {
            return keys;
        }
        if (!node.isArray() || node.size() > MAX_KEYS) {
            throw new PoisonEventException("event " + event.id() + " data.keys is not an array of at most " + MAX_KEYS);
        }
        for (JsonNode key : node) {
            String text = key.isTextual() ? key.asText() : null;
            if (text == null
                    || text.length() > MAX_KEY_LENGTH
                    || text.indexOf(':') < 0
                    || CacheRegion.parse(text.substring(0, text.indexOf(':'))).isEmpty()) {
                throw new PoisonEventException("event " + event.id() + " has a key outside the cache regions: " + key);
            }
            keys.add(text);
        }
        return keys;
    }

    private void count(String outcome) {
        counters.computeIfAbsent(outcome, o -> Counter.builder("devloop.knowledge.cache.invalidations.received")
                        .description("Cache invalidation events consumed, by outcome")
                        .tag("outcome", o)
                        .register(registry))
                .increment();
    }
}
