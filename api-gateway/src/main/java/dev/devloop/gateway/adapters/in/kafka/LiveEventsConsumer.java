package dev.devloop.gateway.adapters.in.kafka;

import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.EventSignatures;
import dev.devloop.contracts.events.InvalidEventException;
import dev.devloop.contracts.events.UsageBatches;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.EventChannel;
import dev.devloop.gateway.domain.LiveEvent;
import dev.devloop.gateway.ports.in.DispatchWebhooksUseCase;
import dev.devloop.gateway.ports.in.LiveEventsUseCase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the live topics (lifecycle, results, tool invocations, health, usage, roadmap) with a consumer group of
 * its own per gateway instance, so every replica sees every event; hands each accepted CloudEvent to the SSE
 * fan-out and to webhook dispatch. A record is accepted only through contracts' {@link EventGate}: the one codec's
 * strictness, then a signature of a producer the topic allows (docs/design.md §3), whose tenant and id are the
 * event's. A refused record is skipped and counted, never fatal, and reaches neither SSE nor webhooks. A usage
 * batch ({@link UsageBatches#TYPE}, one signature for many model calls) is expanded into one
 * {@code dev.devloop.provider.usage} event per record, so subscribers still see one event per call; a malformed
 * batch is refused whole.
 */
@ApplicationScoped
public class LiveEventsConsumer {
    private static final Logger LOG = Logger.getLogger(LiveEventsConsumer.class);

    public static final String CHANNEL = "live-events";
    private final LiveEventsUseCase liveEvents;
    private final DispatchWebhooksUseCase webhooks;
    private final EventGate gate;
    private final CloudEventCodec.Limits limits;
    private final Counter malformed;
    private final Counter unsigned;
    private final Counter dispatchFailures;
    private final RefusedRecords refused;

    @Inject
    public LiveEventsConsumer(
            LiveEventsUseCase liveEvents,
            DispatchWebhooksUseCase webhooks,
            EventGate gate,
            GatewayConfig config,
            MeterRegistry registry) {
        this(liveEvents, webhooks, gate, config.events().maxEventBytes(), registry);
    }

    LiveEventsConsumer(
            LiveEventsUseCase liveEvents,
            DispatchWebhooksUseCase webhooks,
            EventGate gate,
            int maxEventBytes,
            MeterRegistry registry) {
        this.liveEvents = liveEvents;
        this.webhooks = webhooks;
        this.gate = gate;
        this.limits = new CloudEventCodec.Limits(maxEventBytes, CloudEventCodec.Limits.DEFAULT.maxIdLength());
        this.malformed = Counter.builder("devloop.gateway.events.malformed")
                .description("live-topic records skipped: not a valid CloudEvent, or refused for their producer")
                .register(registry);
        this.unsigned = Counter.builder("devloop.gateway.events.unsigned")
                .description("live-topic records accepted without a signature (devloop.events.require-signature=false)")
                .register(registry);
        this.dispatchFailures = Counter.builder("devloop.gateway.webhooks.enqueue.failures")
                .description("events whose webhook deliveries could not be queued")
                .register(registry);
        this.refused = new RefusedRecords(registry);
    }

    @Incoming(CHANNEL)
    @Blocking
    void consume(ConsumerRecord<String, String> record) {
        List<LiveEvent> events = parse(record);
        if (events.isEmpty()) {
            malformed.increment();
            return;
        }
        events.forEach(this::deliver);
    }

    private void deliver(LiveEvent event) {
        liveEvents.publish(event);
        try {
            int queued = webhooks.enqueue(event);
            if (queued > 0) {
                LogFields.of("tenant", event.tenant(), "eventId", event.id(), "type", event.type(), "count", queued)
                        .info(LOG, "webhook deliveries queued");
            }
        } catch (RuntimeException e) {
            dispatchFailures.increment();
            LogFields.of("tenant", event.tenant(), "eventId", event.id(), "error", e)
                    .warn(LOG, "webhook deliveries not queued");
        }
    }

    /**
     * The events of the record when the gate accepts it on its channel's logical topic (the cell's prefix ignored):
     * the event itself, or a usage batch's events; none when it is refused.
     */
    List<LiveEvent> parse(ConsumerRecord<String, String> record) {
        Optional<EventChannel> channel = EventChannel.ofTopic(record.topic());
        if (channel.isEmpty()) {
            return skip(record, "not a live topic");
        }
        String topic = channel.get().topic();
        EventGate.Accepted accepted;
        try {
            accepted = gate.accept(
                    topic,
                    record.value(),
                    RefusedRecords.header(record, EventSignatures.SIGNATURE_HEADER),
                    RefusedRecords.header(record, EventSignatures.GRANT_HEADER),
                    limits);
        } catch (InvalidEventException e) {
            refused.count(topic, e);
            return skip(record, e.kind() + ": " + e.getMessage());
        }
        if (EventGate.UNSIGNED.equals(accepted.producer())) {
            unsigned.increment();
        }
        CloudEvent event = accepted.event();
        if (channel.get() == EventChannel.USAGE && UsageBatches.isBatch(event)) {
            return expand(record, event);
        }
        return List.of(new LiveEvent(event.id(), event.type(), event.tenant(), channel.get(), record.value()));
    }

    private List<LiveEvent> expand(ConsumerRecord<String, String> record, CloudEvent batch) {
        List<CloudEvent> usage;
        try {
            usage = UsageBatches.expand(batch);
        } catch (IllegalArgumentException e) {
            InvalidEventException refusal =
                    new InvalidEventException(InvalidEventException.Kind.MALFORMED, "usage batch: " + e.getMessage());
            refused.count(EventChannel.USAGE.topic(), refusal);
            return skip(record, refusal.kind() + ": " + refusal.getMessage());
        }
        return usage.stream()
                .map(e -> new LiveEvent(
                        e.id(),
                        e.type(),
                        e.tenant(),
                        EventChannel.USAGE,
                        gate.codec().encode(e)))
                .toList();
    }

    private static List<LiveEvent> skip(ConsumerRecord<String, String> record, String reason) {
        LogFields.of(
                        "topic",
                        record.topic(),
                        "partition",
                        record.partition(),
                        "offset",
                        record.offset(),
                        "reason",
                        reason)
                .warn(LOG, "live event skipped");
        return List.of();
    }
}
