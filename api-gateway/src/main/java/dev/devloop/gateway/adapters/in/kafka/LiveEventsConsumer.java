package dev.devloop.gateway.adapters.in.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Tenants;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import dev.devloop.gateway.ports.in.DispatchWebhooksUseCase;
import dev.devloop.gateway.ports.in.LiveEventsUseCase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the live topics (lifecycle, results, tool invocations, health, usage, roadmap) with a consumer group of
 * its own per gateway instance, so every replica sees every event; hands each valid CloudEvent to the
 * SSE fan-out and to webhook dispatch. A malformed record is skipped and counted, never fatal.
 */
@ApplicationScoped
public class LiveEventsConsumer {
    public static final String CHANNEL = "live-events";
    private final LiveEventsUseCase liveEvents;
    private final DispatchWebhooksUseCase webhooks;
    private final ObjectMapper json;
    private final GatewayConfig config;
    private final Counter malformed;
    private final Counter dispatchFailures;

    public LiveEventsConsumer(
            LiveEventsUseCase liveEvents,
            DispatchWebhooksUseCase webhooks,
            ObjectMapper json,
            GatewayConfig config,
            MeterRegistry registry) {
        this.liveEvents = liveEvents;
        this.webhooks = webhooks;
        this.json = json;
        this.config = config;
        this.malformed = Counter.builder("devloop.gateway.events.malformed")
                .description("live-topic records skipped because they are not valid CloudEvents")
                .register(registry);
        this.dispatchFailures = Counter.builder("devloop.gateway.webhooks.enqueue.failures")
                .description("events whose webhook deliveries could not be queued")
                .register(registry);
    }

    @Incoming(CHANNEL)
    @Blocking
    void consume(ConsumerRecord<String, String> record) {
        Optional<LiveEvent> parsed = parse(record);
        if (parsed.isEmpty()) {
            malformed.increment();
            return;
        }
        LiveEvent event = parsed.get();
        liveEvents.publish(event);
        try {
            int queued = webhooks.enqueue(event);
            if (queued > 0) {
                Log.infof(
                        "webhook deliveries queued tenant=%s event=%s type=%s count=%d",
                        event.tenant(), event.id(), event.type(), queued);
            }
        } catch (RuntimeException e) {
            dispatchFailures.increment();
            Log.warnf("webhook deliveries not queued tenant=%s event=%s error=\"%s\"", event.tenant(), event.id(), e);
        }
    }

    /** The event when the record is a CloudEvent of a live channel with id, type, source and a valid tenant. */
    Optional<LiveEvent> parse(ConsumerRecord<String, String> record) {
        Optional<EventChannel> channel = EventChannel.ofTopic(record.topic());
        String value = record.value();
        if (channel.isEmpty() || value == null) {
            return skip(record, "no value");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > config.events().maxEventBytes()) {
            return skip(record, "larger than " + config.events().maxEventBytes() + " bytes");
        }
        JsonNode node;
        try {
            node = json.readTree(value);
        } catch (JsonProcessingException e) {
            return skip(record, "not JSON");
        }
        if (node == null || !node.isObject()) {
            return skip(record, "not a JSON object");
        }
        String id = text(node, "id");
        String type = text(node, "type");
        String tenant = text(node, "tenant");
        if (id == null || type == null || text(node, "source") == null) {
            return skip(record, "id, type or source missing");
        }
        if (tenant == null || !Tenants.PATTERN.matcher(tenant).matches()) {
            return skip(record, "no valid tenant extension");
        }
        return Optional.of(new LiveEvent(id, type, tenant, channel.get(), value));
    }

    private static Optional<LiveEvent> skip(ConsumerRecord<String, String> record, String reason) {
        Log.warnf(
                "live event skipped topic=%s partition=%d offset=%d reason=\"%s\"",
                record.topic(), record.partition(), record.offset(), reason);
        return Optional.empty();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
