package dev.devloop.agent.adapters.out.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.ports.out.LifecyclePublisherPort;
import dev.devloop.contracts.events.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes lifecycle transitions as CloudEvents on {@code devloop.agent.lifecycle}, keyed by agent id. */
@ApplicationScoped
class KafkaLifecyclePublisher implements LifecyclePublisherPort {
  static final String CHANNEL = "agent-lifecycle";
  private final Emitter<String> emitter;
  private final ObjectMapper json;

  KafkaLifecyclePublisher(@Channel(CHANNEL) Emitter<String> emitter, ObjectMapper json) {
    this.emitter = emitter;
    this.json = json;
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
    send(agent, "dev.devloop.agent.status",
        json.createObjectNode().put("agentId", agent.id()).put("status", agent.status().name()));
  }

  @Override
  public void retired(Agent agent) {
    ObjectNode data = json.createObjectNode()
        .put("agentId", agent.id())
        .put("parentId", agent.parentId())
        .put("retiredAt", agent.retiredAt() == null ? null : agent.retiredAt().toString());
    send(agent, "dev.devloop.agent.retired", data);
  }

  private void send(Agent agent, String type, ObjectNode data) {
    CloudEvent event = CloudEvent.of(CloudEventJson.SOURCE, type, agent.id(), agent.tenant(), data);
    emitter.send(CloudEventJson.message(json, agent.id(), event));
  }
}
