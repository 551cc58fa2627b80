package dev.devloop.knowledge.adapters.in.kafka;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.knowledge.domain.delivery.FeatureChange;
import dev.devloop.knowledge.domain.delivery.ForgeMapping;
import dev.devloop.knowledge.domain.delivery.MalformedForgeEvent;
import dev.devloop.knowledge.ports.in.ApplyForgeEventUseCase;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Applies {@code devloop.forge.events} (GitHub webhooks relayed by api-gateway, or the local forge; type
 * {@code dev.devloop.forge.github.<X-GitHub-Event>}, data the payload) to roadmap features (docs/delivery.md).
 * Records must be signed by api-gateway or tool-service ({@link EventIntake}). Events of other kinds or for no known
 * feature are acknowledged and counted as ignored; unusable or refused ones go to {@code devloop.forge.events.dlq}. Counted as {@code devloop_forge_events_total{event,outcome}}.
 */
@ApplicationScoped
public class ForgeEventConsumer {
    static final String CHANNEL = "forge-events";
    static final String TYPE_PREFIX = "dev.devloop.forge.github.";
    private static final Set<String> EVENTS = Set.of("pull_request", "check_run", "workflow_run", "push", "issues");

    private final ConsumerDrain drain;
    private final EventIntake events;
    private final ApplyForgeEventUseCase forge;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ForgeEventConsumer(
            EventIntake events,
            ApplyForgeEventUseCase forge,
            ObjectMapper json,
            MeterRegistry registry,
            ConsumerDrain drain) {
        this.drain = drain;
        this.events = events;
        this.forge = forge;
        this.json = json;
        this.registry = registry;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        drain.run(() -> apply(record));
    }

    private void apply(ConsumerRecord<String, String> record) {
        String kind = "unknown";
        try {
            CloudEvent event = events.acceptForge(Topics.FORGE_EVENTS, record);
            if (!event.type().startsWith(TYPE_PREFIX)) {
                throw new PoisonEventException(
                        "event " + event.id() + " has type " + event.type() + ", expected " + TYPE_PREFIX + "<event>");
            }
            String name = event.type().substring(TYPE_PREFIX.length());
            kind = EVENTS.contains(name) ? name : "other";
            Optional<FeatureChange> change = change(event, name);
            if (change.isEmpty()) {
                count(kind, "ignored");
                return;
            }
            count(kind, apply(event, change.get()).name().toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            count(kind, "rejected");
            Log.warnf("forge event %s: %s", drain.fate(), e.getMessage());
            throw e;
        }
    }

    private Optional<FeatureChange> change(CloudEvent event, String name) {
        try {
            Map<String, Object> data = json.convertValue(event.data(), new TypeReference<Map<String, Object>>() {});
            return ForgeMapping.map(name, data);
        } catch (MalformedForgeEvent | IllegalArgumentException e) {
            throw new PoisonEventException(
                    "event " + event.id() + " (" + name + ") is malformed: " + e.getMessage(), e);
        }
    }

    private ApplyForgeEventUseCase.Outcome apply(CloudEvent event, FeatureChange change) {
        try {
            return forge.apply(event.id(), event.tenant(), change);
        } catch (KnowledgeRefusal | ProblemException e) {
            throw EventRejections.rejected(event.id(), e, false);
        }
    }

    private void count(String event, String outcome) {
        counters.computeIfAbsent(event + "/" + outcome, k -> Counter.builder("devloop.forge.events")
                        .description("Forge events consumed, by event kind and outcome")
                        .tag("event", event)
                        .tag("outcome", outcome)
                        .register(registry))
                .increment();
    }
}
