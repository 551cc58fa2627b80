package dev.devloop.agent.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
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
        Instant retiredAt,
        List<String> toolScope) {

    /** An agent without a tool scope may use every tool its type may call. */
    public Agent(
            String id,
            String tenant,
            String type,
            AgentLevel level,
            String parentId,
            AgentStatus status,
            Instant createdAt,
            Instant retiredAt) {
        this(id, tenant, type, level, parentId, status, createdAt, retiredAt, List.of());
    }

    public Agent {
        toolScope = toolScope == null ? List.of() : List.copyOf(toolScope);
    }

    public static final String ID_PREFIX = "agt_";

    public static Agent spawn(String tenant, AgentDefinition definition, String parentId, Instant now) {
        return new Agent(
                ID_PREFIX + UUID.randomUUID(),
                tenant,
                definition.type(),
                definition.level(),
                parentId,
                AgentStatus.ACTIVE,
                now,
                null);
    }

    /**
     * An agent spawned by a tool call: its id derives from {@code key} (run, tool call, index), so a
     * resumed run that repeats the call finds the agent it already spawned instead of a second one.
     * {@code toolScope} narrows the tools it may use (empty: all its type may call).
     */
    public static Agent spawnKeyed(
            String tenant,
            AgentDefinition definition,
            String parentId,
            String key,
            List<String> toolScope,
            Instant now) {
        String id = ID_PREFIX + UUID.nameUUIDFromBytes((tenant + "\u0000" + key).getBytes(StandardCharsets.UTF_8));
        return new Agent(
                id, tenant, definition.type(), definition.level(), parentId, AgentStatus.ACTIVE, now, null, toolScope);
    }

    /** Whether this agent may use {@code tool} under its scope. */
    public boolean mayUse(String tool) {
        return toolScope.isEmpty() || toolScope.contains(tool);
    }

    public static boolean looksLikeId(String ref) {
        return ref != null && ref.startsWith(ID_PREFIX);
    }

    public boolean isLive() {
        return status == AgentStatus.ACTIVE || status == AgentStatus.BUSY;
    }

    public Agent withStatus(AgentStatus next) {
        return new Agent(id, tenant, type, level, parentId, next, createdAt, retiredAt, toolScope);
    }

    public Agent retire(Instant now) {
        return new Agent(id, tenant, type, level, parentId, AgentStatus.RETIRED, createdAt, now, toolScope);
    }
}
