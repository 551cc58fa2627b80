package dev.devloop.agent.ports.out;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentListKey;
import dev.devloop.agent.domain.AgentStatus;
import java.util.List;
import java.util.Optional;

/** Outgoing persistence port for agents; every call is scoped to one tenant. */
public interface AgentRepositoryPort {
    void save(Agent agent);

    Optional<Agent> find(String tenant, String agentId);

    void updateStatus(String tenant, String agentId, AgentStatus status);

    /**
     * Sets the agent to {@code status} when it is live ({@link Agent#isLive}) and returns it as stored; empty when it is
     * gone or no longer live (retired meanwhile). A store does it in one conditional write, so a retire racing it is
     * never overwritten.
     */
    default Optional<Agent> updateStatusIfLive(String tenant, String agentId, AgentStatus status) {
        Optional<Agent> live = find(tenant, agentId).filter(Agent::isLive);
        live.ifPresent(a -> updateStatus(tenant, agentId, status));
        return live.map(a -> a.withStatus(status));
    }

    /** Agents matching every non-null criterion, newest first, at most {@code limit}. */
    default List<Agent> list(String tenant, String parentId, String type, AgentStatus status, int limit) {
        return list(tenant, parentId, type, status, limit, null);
    }

    /** As above, continuing after {@code after} (newest first, ties by id descending) when it is given. */
    List<Agent> list(String tenant, String parentId, String type, AgentStatus status, int limit, AgentListKey after);

    List<Agent> children(String tenant, String parentId);

    /**
     * Atomically takes a concurrent-run slot of the agent for {@code runId}: succeeds only while fewer than
     * {@code max} runs hold one ({@code max} 0: no limit). The slots are a set of run ids, so taking one again
     * for the same run (a resumed run) never counts twice.
     */
    default boolean acquireRunSlot(String tenant, String agentId, String runId, int max) {
        return true;
    }

    /** Frees the run's slot (a no-op when it holds none, so the count never goes negative). */
    default void releaseRunSlot(String tenant, String agentId, String runId) {}

    /** The run ids holding slots of the agent. */
    default List<String> runSlots(String tenant, String agentId) {
        return List.of();
    }
}
