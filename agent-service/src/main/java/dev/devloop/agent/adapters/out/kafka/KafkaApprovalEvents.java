package dev.devloop.agent.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.Proposal;
import dev.devloop.agent.ports.out.ApprovalEventsPort;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.KafkaEvents;
import dev.devloop.contracts.logging.LogFields;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Announces proposals on {@code devloop.agent.lifecycle} (key = agent id): {@code
 * dev.devloop.agent.approval.requested} and {@code .decided}, with event ids derived from the proposal
 * (and its decision), so a repeat is the same event; decisions are counted in
 * {@code devloop_agent_approvals_total{decision}}.
 */
@ApplicationScoped
class KafkaApprovalEvents implements ApprovalEventsPort {
    private static final Logger LOG = Logger.getLogger(KafkaApprovalEvents.class);
    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;
    private final MeterRegistry meters;

    KafkaApprovalEvents(
            @Channel(KafkaLifecyclePublisher.CHANNEL) Emitter<String> emitter,
            ObjectMapper json,
            KafkaEvents events,
            MeterRegistry meters) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
        this.meters = meters;
    }

    @Override
    public void requested(Proposal p) {
        LogFields.of("tenant", p.tenant(), "proposalId", p.id(), "runId", p.runId(), "tool", p.tool())
                .info(LOG, "approval requested");
        send(p, "dev.devloop.agent.approval.requested", data(p));
    }

    @Override
    public void decided(Proposal p) {
        String decision = p.status().name().toLowerCase();
        meters.counter("devloop_agent_approvals_total", "decision", decision).increment();
        LogFields.of(
                        "tenant", p.tenant(),
                        "proposalId", p.id(),
                        "runId", p.runId(),
                        "decision", decision,
                        "decidedBy", p.decidedBy())
                .info(LOG, "approval decided");
        ObjectNode data = data(p).put("decidedBy", p.decidedBy())
                .put("decidedAt", p.decidedAt() == null ? null : p.decidedAt().toString());
        if (p.note() != null) {
            data.put("note", p.note());
        }
        if (p.reason() != null) {
            data.put("reason", p.reason());
        }
        send(p, "dev.devloop.agent.approval.decided", data);
    }

    private ObjectNode data(Proposal p) {
        ObjectNode data = json.createObjectNode()
                .put("proposalId", p.id())
                .put("runId", p.runId())
                .put("agentId", p.agentId())
                .put("agentType", p.agentType())
                .put("toolCallId", p.toolCallId())
                .put("tool", p.tool())
                .put("status", p.status().name());
        data.set("arguments", parse(p.argumentsJson()));
        if (p.reasoning() != null) {
            data.put("reasoning", p.reasoning());
        }
        return data;
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String arguments) {
        try {
            return arguments == null ? json.nullNode() : json.readTree(arguments);
        } catch (java.io.IOException e) {
            return json.getNodeFactory().textNode(arguments);
        }
    }

    private void send(Proposal p, String type, ObjectNode data) {
        String id = UUID.nameUUIDFromBytes((p.tenant() + "\u0000" + p.id() + "\u0000" + type + "\u0000" + p.status())
                        .getBytes(StandardCharsets.UTF_8))
                .toString();
        CloudEvent event = new CloudEvent(
                CloudEvent.SPEC_VERSION,
                id,
                AgentEvents.SOURCE,
                type,
                Instant.now().toString(),
                p.id(),
                CloudEvent.JSON,
                p.tenant(),
                data);
        emitter.send(events.message(Topics.AGENT_LIFECYCLE, p.agentId(), event));
    }
}
