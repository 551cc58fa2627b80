package dev.devloop.agent.application;

import dev.devloop.agent.domain.Agent;
import dev.devloop.agent.domain.AgentDefinition;
import dev.devloop.agent.domain.AgentListKey;
import dev.devloop.agent.domain.AgentStatus;
import dev.devloop.agent.domain.AgentTree;
import dev.devloop.agent.domain.Hierarchy;
import dev.devloop.agent.ports.in.ManageAgentsUseCase;
import dev.devloop.agent.ports.in.SpawnAgentCommand;
import dev.devloop.agent.ports.in.UnknownAgentException;
import dev.devloop.agent.ports.out.AgentDefinitionsPort;
import dev.devloop.agent.ports.out.AgentRepositoryPort;
import dev.devloop.agent.ports.out.LifecyclePublisherPort;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Spawns agents under the hierarchy rules, reads agent trees and retires subtrees. */
public final class AgentHierarchyService implements ManageAgentsUseCase {
    /** Bounds a tree read or a cascade, whatever the data holds. */
    static final int MAX_TREE_NODES = 1_000;

    private final AgentDefinitionsPort definitions;
    private final AgentRepositoryPort agents;
    private final LifecyclePublisherPort lifecycle;
    private final Clock clock;

    public AgentHierarchyService(
            AgentDefinitionsPort definitions,
            AgentRepositoryPort agents,
            LifecyclePublisherPort lifecycle,
            Clock clock) {
        this.definitions = definitions;
        this.agents = agents;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    @Override
    public Agent spawn(SpawnAgentCommand command) {
        AgentDefinition definition = definition(command.tenant(), command.type());
        if (command.parentId() != null) {
            Agent parent = agents.find(command.tenant(), command.parentId())
                    .orElseThrow(() ->
                            new UnknownAgentException(command.parentId(), "no agent '" + command.parentId() + "'"));
            int live = (int) agents.children(command.tenant(), parent.id()).stream()
                    .filter(Agent::isLive)
                    .count();
            Hierarchy.checkSpawn(parent, definition(parent.tenant(), parent.type()), definition, live);
        }
        Agent agent = Agent.spawn(command.tenant(), definition, command.parentId(), clock.instant());
        agents.save(agent);
        lifecycle.spawned(agent);
        return agent;
    }

    /**
     * Spawns an agent whose id derives from {@code key} (a run and tool call), or returns the one an
     * earlier attempt of the same call already spawned: a resumed run never spawns twice.
     */
    public Spawned spawnKeyed(String tenant, String type, String parentId, String key, List<String> toolScope) {
        AgentDefinition definition = definition(tenant, type);
        Agent candidate = Agent.spawnKeyed(tenant, definition, parentId, key, toolScope, clock.instant());
        Optional<Agent> existing = agents.find(tenant, candidate.id());
        if (existing.isPresent()) {
            return new Spawned(existing.get(), false);
        }
        if (parentId != null) {
            Agent parent = agents.find(tenant, parentId)
                    .orElseThrow(() -> new UnknownAgentException(parentId, "no agent '" + parentId + "'"));
            int live = (int) agents.children(tenant, parent.id()).stream()
                    .filter(Agent::isLive)
                    .count();
            Hierarchy.checkSpawn(parent, definition(parent.tenant(), parent.type()), definition, live);
        }
        agents.save(candidate);
        lifecycle.spawned(candidate);
        return new Spawned(candidate, true);
    }

    /** An agent from {@link #spawnKeyed}, and whether this call created it. */
    public record Spawned(Agent agent, boolean created) {}

    /** Whether {@code agentId} lies strictly below {@code ancestorId} (walking up at most 10 levels). */
    public boolean isDescendant(String tenant, String agentId, String ancestorId) {
        Optional<Agent> current = agents.find(tenant, agentId);
        for (int depth = 0; depth < 10 && current.isPresent(); depth++) {
            String parent = current.get().parentId();
            if (parent == null) {
                return false;
            }
            if (parent.equals(ancestorId)) {
                return true;
            }
            current = agents.find(tenant, parent);
        }
        return false;
    }

    public Optional<Agent> find(String tenant, String agentId) {
        return agents.find(tenant, agentId);
    }

    @Override
    public List<Agent> list(
            String tenant, String parentId, String type, AgentStatus status, int limit, AgentListKey after) {
        return agents.list(tenant, parentId, type, status, limit, after);
    }

    @Override
    public Optional<AgentTree> tree(String tenant, String agentId) {
        int[] budget = {MAX_TREE_NODES};
        return agents.find(tenant, agentId).map(root -> subtree(root, budget));
    }

    @Override
    public List<Agent> retire(String tenant, String agentId) {
        AgentTree tree = tree(tenant, agentId)
                .orElseThrow(() -> new UnknownAgentException(agentId, "no agent '" + agentId + "'"));
        List<Agent> retired = new ArrayList<>();
        retireDeepestFirst(tree, retired);
        return retired;
    }

    private void retireDeepestFirst(AgentTree node, List<Agent> retired) {
        node.children().forEach(child -> retireDeepestFirst(child, retired));
        Agent agent = node.agent();
        if (agent.status() == AgentStatus.RETIRED) {
            return;
        }
        Agent done = agent.retire(clock.instant());
        agents.save(done);
        lifecycle.retired(done);
        retired.add(done);
    }

    private AgentTree subtree(Agent agent, int[] budget) {
        budget[0]--;
        List<AgentTree> children = new ArrayList<>();
        for (Agent child : agents.children(agent.tenant(), agent.id())) {
            if (budget[0] <= 0) {
                break;
            }
            children.add(subtree(child, budget));
        }
        return new AgentTree(agent, children);
    }

    private AgentDefinition definition(String tenant, String type) {
        return definitions
                .definition(tenant, type)
                .orElseThrow(() -> new UnknownAgentException(type, "unknown agent type '" + type + "'"));
    }
}
