package dev.devloop.provider.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventNames;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.out.PublishUsagePort;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Publishes {@code dev.devloop.provider.usage} CloudEvents on {@code devloop.provider.usage}, keyed by tenant and
 * signed as provider-gateway; a failed publish is logged, never fails the model call.
 */
@ApplicationScoped
public class KafkaUsagePublisher implements PublishUsagePort {
    private static final Logger LOG = Logger.getLogger(KafkaUsagePublisher.class);

    static final String CHANNEL = "provider-usage";
    static final String SOURCE = EventNames.source("provider-gateway");
    static final String TYPE = EventNames.type("provider", "usage");

    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;

    public KafkaUsagePublisher(@Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, KafkaEvents events) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
    }

    @Override
    public void publish(UsageRecord u) {
        ObjectNode data = json.createObjectNode();
        data.put("callId", u.id());
        data.put("agentId", u.agentId());
        data.put("provider", u.provider());
        data.put("model", u.model());
        data.put("inputTokens", u.inputTokens());
        data.put("outputTokens", u.outputTokens());
        data.put("totalTokens", u.totalTokens());
        data.put("cached", u.cached());
        data.put("streamed", u.streamed());
        data.put("finishReason", u.finishReason());
        data.put("latencyMs", u.latencyMs());
        data.put("at", u.at().toString());
        if (u.costUsd() != null) {
            data.put("costUsd", u.costUsd());
        }
        CloudEvent event = CloudEvent.of(SOURCE, TYPE, u.model(), u.tenant(), data);
        try {
            emitter.send(events.message(Topics.PROVIDER_USAGE, u.tenant(), event));
        } catch (RuntimeException e) {
            LogFields.of("tenant", u.tenant(), "usageId", u.id())
                    .and("error", e.getClass().getSimpleName())
                    .warn(LOG, "usage event not published");
        }
    }
}
