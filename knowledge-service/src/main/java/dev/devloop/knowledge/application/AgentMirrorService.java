package dev.devloop.knowledge.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.knowledge.domain.AgentLifecycleEvent;
import dev.devloop.knowledge.domain.AgentNode;
import dev.devloop.knowledge.domain.AgentTree;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;
import dev.devloop.knowledge.ports.in.MirrorAgentLifecycleUseCase;
import dev.devloop.knowledge.ports.in.ReadAgentTreeUseCase;
import dev.devloop.knowledge.ports.out.AgentGraphPort;
import java.util.List;
import org.jboss.logging.Logger;

/** Mirrors agent lifecycle events into the graph and reads agent trees back. */
public class AgentMirrorService implements MirrorAgentLifecycleUseCase, ReadAgentTreeUseCase {
    private static final Logger LOG = Logger.getLogger(AgentMirrorService.class);

    /** The consumer name under which processed lifecycle events are remembered. */
    public static final String CONSUMER = "agent-lifecycle";

    private final AgentGraphPort graph;
    private final EventDeduplicator once;
    private final int maxDepth;
    private final int maxNodes;
    private final int maxIdLength;

    public AgentMirrorService(
            AgentGraphPort graph, EventDeduplicator once, int maxDepth, int maxNodes, int maxIdLength) {
        this.graph = graph;
        this.once = once;
        this.maxDepth = maxDepth;
        this.maxNodes = maxNodes;
        this.maxIdLength = maxIdLength;
    }

    @Override
    public boolean mirror(String eventId, AgentLifecycleEvent event) {
        String tenant = KnowledgeTenants.checked(event.tenant());
        boolean applied = once.applyOnce(CONSUMER, tenant, eventId, () -> graph.apply(event));
        LogFields.of(
                        "tenant",
                        tenant,
                        "agentId",
                        event.agentId(),
                        "event",
                        eventId,
                        "kind",
                        event.getClass().getSimpleName(),
                        "applied",
                        applied)
                .info(LOG, "agent lifecycle mirrored");
        return applied;
    }

    @Override
    public AgentTree tree(String tenant, String agentId) {
        String checkedTenant = KnowledgeTenants.checked(tenant);
        if (agentId == null
                || agentId.isBlank()
                || agentId.length() > maxIdLength
                || agentId.chars().anyMatch(Character::isISOControl)) {
            throw KnowledgeRefusal.invalid("id", "agent id must be 1 to " + maxIdLength + " printable characters");
        }
        List<AgentNode> nodes = graph.subtree(checkedTenant, agentId, maxDepth, maxNodes);
        if (nodes.stream().noneMatch(n -> n.id().equals(agentId))) {
            throw KnowledgeRefusal.notFound(
                    "agent-not-found", "No agent " + agentId + " in the graph for this tenant.");
        }
        AgentTree tree = AgentTree.of(agentId, nodes);
        LogFields.of("tenant", checkedTenant, "agentId", agentId, "size", tree.size())
                .info(LOG, "agent tree read");
        return tree;
    }
}
