package dev.devloop.agent.domain;

import java.time.Instant;
import java.util.UUID;

/** A live agent instance of some type, owned by one tenant. */
public record Agent(
    String id,
    String tenant,
    String type,
    AgentLevel level,
    String parentId,
    AgentStatus status,
    Instant createdAt,
    Instant retiredAt) {

  public static final String ID_PREFIX = "agt_";

  public static Agent spawn(String tenant, AgentDefinition definition, String parentId, Instant now) {
    return new Agent(
        ID_PREFIX + UUID.randomUUID(), tenant, definition.type(), definition.level(), parentId,
        AgentStatus.ACTIVE, now, null);
  }

  public static boolean looksLikeId(String ref) {
    return ref != null && ref.startsWith(ID_PREFIX);
  }

  public boolean isLive() {
    return status == AgentStatus.ACTIVE || status == AgentStatus.BUSY;
  }

  public Agent withStatus(AgentStatus next) {
    return new Agent(id, tenant, type, level, parentId, next, createdAt, retiredAt);
  }

  public Agent retire(Instant now) {
    return new Agent(id, tenant, type, level, parentId, AgentStatus.RETIRED, createdAt, now);
  }
}
