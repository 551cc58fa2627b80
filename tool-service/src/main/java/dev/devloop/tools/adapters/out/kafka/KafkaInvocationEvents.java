package dev.devloop.tools.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.EventNames;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.tools.domain.AuditEntry;
import dev.devloop.tools.ports.out.InvocationEventsPort;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes every invocation attempt as a {@code dev.devloop.tool.invoked} CloudEvent, keyed by agent id. */
@ApplicationScoped
class KafkaInvocationEvents implements InvocationEventsPort {
    static final String CHANNEL = "tool-invocations";
    static final String SOURCE = EventNames.source("tool-service");
    static final String TYPE = "dev.devloop.tool.invoked";
    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;

    KafkaInvocationEvents(@Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, KafkaEvents events) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
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
        String key = e.agentId() != null ? e.agentId() : e.tenant();
        Message<String> message = events.message(Topics.TOOL_INVOCATIONS, key, event);
        try {
            emitter.send(message);
        } catch (RuntimeException ex) {
            Log.warnf(ex, "invocation event %s for tool %s could not be queued", event.id(), e.toolId());
        }
    }
}
