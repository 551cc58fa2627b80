package dev.devloop.tools.adapters.out.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.ports.out.InvocationEventsPort;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes every invocation attempt as a {@code dev.devloop.tool.invoked} CloudEvent, keyed by agent id. */
@ApplicationScoped
class KafkaInvocationEvents implements InvocationEventsPort {
    static final String CHANNEL = "tool-invocations";
    static final String SOURCE = "/devloop/tool-service";
    static final String TYPE = "dev.devloop.tool.invoked";
    private final Emitter<String> emitter;
    private final ObjectMapper json;

    KafkaInvocationEvents(@Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    @Override
    public void invoked(AuditEntry e) {
        ObjectNode data = json.createObjectNode()
                .put("auditId", e.id())
                .put("toolId", e.toolId())
                .put("agentType", e.agentType())
                .put("agentId", e.agentId())
                .put("runId", e.runId())
                .put("idempotencyKey", e.idempotencyKey())
                .put("outcome", e.outcome().name())
                .put("allowed", e.rule() == null)
                .put("rule", e.rule())
                .put("detail", e.detail())
                .put("invocationId", e.invocationId())
                .put("durationMs", e.durationMs())
                .put("replayed", e.replayed())
                .put("at", e.at().toString());
        CloudEvent event = CloudEvent.of(SOURCE, TYPE, e.toolId(), e.tenant(), data);
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("invocation event not serialisable", ex);
        }
        String key = e.agentId() != null ? e.agentId() : e.tenant();
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .build())
                .withAck(() -> CompletableFuture.completedFuture(null))
                .withNack(failure -> {
                    Log.warnf(failure, "invocation event %s for tool %s was not delivered", event.id(), e.toolId());
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException ex) {
            Log.warnf(ex, "invocation event %s for tool %s could not be queued", event.id(), e.toolId());
        }
    }
}
