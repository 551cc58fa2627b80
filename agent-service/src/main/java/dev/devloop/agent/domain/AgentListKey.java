package dev.devloop.agent.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a page of the agent list (newest first) ends: the creation time, to the millisecond as stored, and
 * the id that breaks ties; the next page holds the agents strictly older in that order.
 */
public record AgentListKey(Instant createdAt, String id) {
    public AgentListKey {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    /** The key of {@code agent} at the stored precision. */
    public static AgentListKey of(Agent agent) {
        return new AgentListKey(Instant.ofEpochMilli(agent.createdAt().toEpochMilli()), agent.id());
    }
}
