package dev.devloop.provider.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.out.PublishUsagePort;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes {@code provider.usage} CloudEvents on {@code devloop.provider.usage}, keyed by tenant. */
@ApplicationScoped
public class KafkaUsagePublisher implements PublishUsagePort {
    static final String CHANNEL = "provider-usage";
    static final String SOURCE = "provider-gateway";
    static final String TYPE = "provider.usage";

    private final Emitter<String> emitter;
    private final ObjectMapper json;

    public KafkaUsagePublisher(@Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
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
            String payload = json.writeValueAsString(event);
            Message<String> message = Message.of(payload)
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                            .withKey(u.tenant())
                            .build())
                    .withAck(() -> CompletableFuture.completedFuture(null))
                    .withNack(failure -> {
                        Log.warnf(
                                "usage event not published tenant=%s id=%s error=%s",
                                u.tenant(), u.id(), failure.getMessage());
                        return CompletableFuture.completedFuture(null);
                    });
            emitter.send(message);
        } catch (Exception e) {
            Log.warnf(
                    "usage event not published tenant=%s id=%s error=%s",
                    u.tenant(), u.id(), e.getClass().getSimpleName());
        }
    }
}
