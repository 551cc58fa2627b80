package dev.devloop.agent.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.Handoff;
import dev.devloop.agent.ports.out.LifecyclePublisherPort;
import dev.devloop.contracts.Topics;
import dev.devloop.contracts.events.CloudEvent;
import dev.devloop.contracts.events.KafkaEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes lifecycle transitions as CloudEvents on {@code devloop.agent.lifecycle}, keyed by agent id. */
@ApplicationScoped
class KafkaLifecyclePublisher implements LifecyclePublisherPort {
    static final String CHANNEL = "agent-lifecycle";
    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private final KafkaEvents events;
    private final GraphSideWork sideWork;

    KafkaLifecyclePublisher(
            @Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json, KafkaEvents events, GraphSideWork sideWork) {
        this.emitter = emitter;
        this.json = json;
        this.events = events;
        this.sideWork = sideWork;
    }

    @Override
    public void spawned(Agent agent) {
        ObjectNode data = json.createObjectNode()
                .put("agentId", agent.id())
                .put("agentType", agent.type())
                .put("level", agent.level().name().toLowerCase())
                .put("parentId", agent.parentId())
                .put("status", agent.status().name())
                .put("createdAt", agent.createdAt().toString());
        send(agent, "dev.devloop.agent.spawned", data);
    }

    @Override
    public void statusChanged(Agent agent) {
        send(
                agent,
                "dev.devloop.agent.status",
                json.createObjectNode()
                        .put("agentId", agent.id())
                        .put("status", agent.status().name()));
    }

    @Override
    public void retired(Agent agent) {
        ObjectNode data = json.createObjectNode()
                .put("agentId", agent.id())
                .put("parentId", agent.parentId())
                .put(
                        "retiredAt",
                        agent.retiredAt() == null ? null : agent.retiredAt().toString());
        send(agent, "dev.devloop.agent.retired", data);
    }

    /** The shape knowledge-service's lifecycle consumer mirrors as {@code (from)-[:HANDED_OFF_TO]->(to)}. */
    @Override
    public void handedOff(Handoff handoff) {
        ObjectNode data = json.createObjectNode()
                .put("agentId", handoff.fromAgentId())
                .put("fromAgentId", handoff.fromAgentId())
                .put("handoffId", handoff.id())
                .put("toAgentId", handoff.toAgentId())
                .put("toAgentType", handoff.toAgentType())
                .put("task", handoff.task());
        // a stable id: a repeated handoff (a resumed run) is the same event, which consumers apply once
        String id = UUID.nameUUIDFromBytes(
                        (handoff.tenant() + "\u0000" + handoff.id()).getBytes(StandardCharsets.UTF_8))
                .toString();
        CloudEvent event = new CloudEvent(
                CloudEvent.SPEC_VERSION,
                id,
                AgentEvents.SOURCE,
                "dev.devloop.agent.handoff",
                Instant.now().toString(),
                handoff.fromAgentId(),
                CloudEvent.JSON,
                handoff.tenant(),
                data);
        // the agent-tree mirror is side work: a failing or hanging publish never holds or fails the run
        sideWork.run(
                "agent-lifecycle",
                () -> emitter.send(events.message(Topics.AGENT_LIFECYCLE, handoff.fromAgentId(), event)));
    }

    private void send(Agent agent, String type, ObjectNode data) {
        CloudEvent event = CloudEvent.of(AgentEvents.SOURCE, type, agent.id(), agent.tenant(), data);
        sideWork.run("agent-lifecycle", () -> emitter.send(events.message(Topics.AGENT_LIFECYCLE, agent.id(), event)));
    }
}
