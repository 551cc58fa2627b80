package dev.devloop.agent.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One agent handing a task to a new agent of another type: who, to whom, the context it passed, the
 * run that did the work and its outcome.
 */
public record Handoff(
        String id,
        String tenant,
        String fromAgentId,
        String toAgentId,
        String toAgentType,
        String task,
        String context,
        String runId,
        RunStatus status,
        String result,
        String error,
        Instant createdAt,
        Instant completedAt) {

    public static final String ID_PREFIX = "hof_";

    /** A fresh id, or one derived from {@code key} so that a repeated request maps to the same handoff. */
    public static String id(String tenant, String key) {
        return key == null
                ? ID_PREFIX + UUID.randomUUID()
                : ID_PREFIX
                        + UUID.nameUUIDFromBytes(
                                (tenant + "\u0000handoff\u0000" + key).getBytes(StandardCharsets.UTF_8));
    }

    public Handoff completed(Run run, Instant now) {
        return new Handoff(
                id,
                tenant,
                fromAgentId,
                toAgentId,
                toAgentType,
                task,
                context,
                run.id(),
                run.status(),
                run.result(),
                run.error(),
                createdAt,
                now);
    }
}
