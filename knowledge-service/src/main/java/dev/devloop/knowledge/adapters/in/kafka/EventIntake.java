package dev.devloop.knowledge.adapters.in.kafka;

import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.CloudEventCodec;
import dev.devloop.contracts.events.EventGate;
import dev.devloop.contracts.events.InvalidEventException;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.knowledge.config.KnowledgeConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The consumers' side of contracts' events seam: every record goes through {@link EventGate} (the one CloudEvent
 * strictness, then the producer's signature or grant for the logical topic) with this service's own bounds. A refused
 * record becomes a {@link PoisonEventException} carrying the gate's message, so it is dead-lettered with that reason
 * like any other poison event, and is counted as {@code devloop_knowledge_events_refused_total{topic,kind}}.
 */
@ApplicationScoped
public class EventIntake {
    private final EventGate gate;
    private final MeterRegistry registry;
    private final CloudEventCodec.Limits limits;
    private final CloudEventCodec.Limits forgeLimits;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public EventIntake(EventGate gate, KnowledgeConfig config, MeterRegistry registry) {
        this.gate = gate;
        this.registry = registry;
        int maxIdLength = config.facts().maxKeyLength();
        this.limits = new CloudEventCodec.Limits(config.events().maxEventBytes(), maxIdLength);
        this.forgeLimits = new CloudEventCodec.Limits(config.events().maxForgeEventBytes(), maxIdLength);
    }

    /** The checked event of a record consumed from logical {@code topic} (a {@code Topics} constant). */
    public CloudEvent accept(String topic, ConsumerRecord<String, String> record) {
        return accept(topic, record, limits);
    }

    /** {@link #accept} with the forge events' larger size bound. */
    public CloudEvent acceptForge(String topic, ConsumerRecord<String, String> record) {
        return accept(topic, record, forgeLimits);
    }

    private CloudEvent accept(String topic, ConsumerRecord<String, String> record, CloudEventCodec.Limits bounds) {
        try {
            EventGate.Accepted accepted = KafkaEvents.accept(gate, topic, record, bounds);
            if (EventGate.UNSIGNED.equals(accepted.producer())) {
                count("devloop.knowledge.events.unsigned", topic, null, "Unsigned records accepted (signatures off)");
            }
            Log.debugf("event %s on %s produced by %s", accepted.event().id(), topic, accepted.producer());
            return accepted.event();
        } catch (InvalidEventException e) {
            count(
                    "devloop.knowledge.events.refused",
                    topic,
                    e.kind().name().toLowerCase(Locale.ROOT),
                    "Records refused before use: malformed, unsigned, forged or from a producer not allowed");
            throw new PoisonEventException(e.getMessage(), e);
        }
    }

    private void count(String name, String topic, String kind, String description) {
        counters.computeIfAbsent(name + "/" + topic + "/" + kind, k -> {
                    Counter.Builder counter =
                            Counter.builder(name).description(description).tag("topic", topic);
                    return (kind == null ? counter : counter.tag("kind", kind)).register(registry);
                })
                .increment();
    }
}
