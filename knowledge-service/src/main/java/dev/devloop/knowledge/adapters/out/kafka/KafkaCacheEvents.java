package dev.devloop.knowledge.adapters.out.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.events.CloudEvent;
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
 * Publishes invalidations on {@code devloop.cache.invalidation} as CloudEvents of type {@value #TYPE}, keyed by
 * the tenant's key prefix {@code kc:{tenant}} (so one tenant's invalidations stay in order), data
 * {@code {cache: "knowledge", regions: [...], keys: [...], reason}}. Delivery failures are logged and counted.
 */
@ApplicationScoped
public class KafkaCacheEvents implements CacheEventsPort {
    public static final String CHANNEL = "cache-invalidation-out";
    public static final String TYPE = "dev.devloop.cache.invalidated";
    public static final String SOURCE = "/devloop/knowledge-service";
    /** The cache name in {@code data.cache}: this service's read cache. */
    public static final String CACHE = "knowledge";

    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final Counter published;
    private final Counter failed;

    public KafkaCacheEvents(@Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, MeterRegistry registry) {
        this.emitter = emitter;
        this.json = json;
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
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("invalidation is not serialisable", e);
        }
        try {
            emitter.send(Message.of(payload)
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                            .withKey("kc:" + invalidation.tenant())
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
