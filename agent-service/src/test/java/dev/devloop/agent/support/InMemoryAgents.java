package dev.devloop.agent.support;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentListKey;
import dev.devloop.agent.domain.AgentStatus;
import dev.devloop.agent.ports.out.AgentDefinitionsPort;
import dev.devloop.agent.ports.out.AgentRepositoryPort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Agents and definitions in memory, with the repository's tenant scoping. */
public class InMemoryAgents implements AgentRepositoryPort, AgentDefinitionsPort {
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private final Map<String, AgentDefinition> definitions = new LinkedHashMap<>();

    public InMemoryAgents define(AgentDefinition d) {
        definitions.put(d.type(), d);
        return this;
    }

    @Override
    public Optional<AgentDefinition> definition(String tenant, String type) {
        return Optional.ofNullable(definitions.get(type));
    }

    @Override
    public List<AgentDefinition> definitions(String tenant) {
        return List.copyOf(definitions.values());
    }

    @Override
    public void save(Agent agent) {
        agents.put(agent.id(), agent);
    }

    @Override
    public Optional<Agent> find(String tenant, String agentId) {
        return Optional.ofNullable(agents.get(agentId)).filter(a -> a.tenant().equals(tenant));
    }

    @Override
    public void updateStatus(String tenant, String agentId, AgentStatus status) {
        find(tenant, agentId).ifPresent(a -> agents.put(a.id(), a.withStatus(status)));
    }

    @Override
    public List<Agent> list(
            String tenant, String parentId, String type, AgentStatus status, int limit, AgentListKey after) {
        Comparator<Agent> newestFirst = Comparator.comparing(
                        (Agent a) -> a.createdAt().toEpochMilli())
                .thenComparing(Agent::id)
                .reversed();
        return agents.values().stream()
                .filter(a -> a.tenant().equals(tenant))
                .filter(a -> after == null
                        || a.createdAt().toEpochMilli() < after.createdAt().toEpochMilli()
                        || a.createdAt().toEpochMilli() == after.createdAt().toEpochMilli()
                                && a.id().compareTo(after.id()) < 0)
                .filter(a -> parentId == null || parentId.equals(a.parentId()))
                .filter(a -> type == null || type.equals(a.type()))
                .filter(a -> status == null || status == a.status())
                .sorted(newestFirst)
                .limit(limit)
                .toList();
    }

    @Override
    public List<Agent> children(String tenant, String parentId) {
        List<Agent> out = new ArrayList<>(agents.values().stream()
                .filter(a -> a.tenant().equals(tenant) && parentId.equals(a.parentId()))
                .toList());
        out.sort(Comparator.comparing(Agent::createdAt));
        return out;
    }

    public List<Agent> all(String tenant) {
        return agents.values().stream().filter(a -> a.tenant().equals(tenant)).toList();
    }
}
