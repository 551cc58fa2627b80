package dev.devloop.knowledge.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventNames;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.knowledge.domain.CacheInvalidation;
import dev.devloop.knowledge.domain.CacheRegion;
import dev.devloop.knowledge.ports.out.CacheEventsPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes invalidations on {@code devloop.cache.invalidation} as CloudEvents of type {@code dev.devloop.cache.invalidated}, keyed by
 * the tenant's key prefix {@code kc:{tenant}} (so one tenant's invalidations stay in order), data
 * {@code {cache: "knowledge", regions: [...], keys: [...], reason}}, each record signed ({@link
 * EventSignatures#SIGNATURE_HEADER}) so consumers can prove knowledge-service produced it. Delivery failures are
 * logged and counted.
 */
@ApplicationScoped
public class KafkaCacheEvents implements CacheEventsPort {
    public static final String CHANNEL = "cache-invalidation-out";
    public static final String TYPE = EventNames.type("cache", "invalidated");
    public static final String SOURCE = EventNames.source("knowledge-service");
    /** The cache name in {@code data.cache}: this service's read cache. */
    public static final String CACHE = "knowledge";

    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;
    private final Counter published;
    private final Counter failed;

    public KafkaCacheEvents(
            @Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, KafkaEvents events, MeterRegistry registry) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
        this.published = Counter.builder("devloop.knowledge.cache.invalidations.published")
                .description("Cache invalidation events handed to Kafka")
                .register(registry);
        this.failed = Counter.builder("devloop.knowledge.cache.invalidations.failed")
                .description("Cache invalidation events Kafka did not accept")
                .register(registry);
    }

    @Override
    public void publish(CacheInvalidation invalidation) {
        ObjectNode data = json.createObjectNode().put("cache", CACHE);
        ArrayNode regions = data.putArray("regions");
        for (CacheRegion region : invalidation.regions()) {
            regions.add(region.wireName());
        }
        ArrayNode keys = data.putArray("keys");
        invalidation.keys().forEach(keys::add);
        data.put("reason", invalidation.reason());
        CloudEvent event = new CloudEvent(
                CloudEvent.SPEC_VERSION,
                invalidation.id(),
                SOURCE,
                TYPE,
                Instant.now().toString(),
                CACHE,
                CloudEvent.JSON,
                invalidation.tenant(),
                data);
        try {
            // the write never fails for its broadcast: a signing failure is counted and logged like a lost send
            String payload = events.encode(event);
            emitter.send(Message.of(payload)
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                            .withKey("kc:" + invalidation.tenant())
                            .withHeaders(events.signedHeaders(
                                    Topics.CACHE_INVALIDATION, invalidation.tenant(), invalidation.id(), payload))
                            .build())
                    .withAck(() -> {
                        published.increment();
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        failed.increment();
                        Log.warnf(failure, "cache invalidation %s was not delivered", invalidation.id());
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException e) {
            failed.increment();
            Log.warnf(e, "cache invalidation %s could not be queued", invalidation.id());
        }
    }
}
