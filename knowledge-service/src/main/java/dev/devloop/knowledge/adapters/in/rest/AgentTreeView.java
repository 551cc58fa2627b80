package dev.devloop.knowledge.adapters.in.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.devloop.knowledge.domain.AgentNode;
import dev.devloop.knowledge.domain.AgentTree;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Wire form of {@code GET /agents/{id}/tree}: an agent, its handoffs and its children, recursively. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentTreeView(
        String id,
        String type,
        String level,
        String status,
        String parentId,
        String createdAt,
        String retiredAt,
        List<Handoff> handoffs,
        List<AgentTreeView> children) {

    /** One {@code HANDED_OFF_TO} edge. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Handoff(String handoffId, String toAgentId, String toAgentType, String task) {}

    static AgentTreeView of(AgentTree tree) {
        AgentNode a = tree.agent();
        return new AgentTreeView(
                a.id(),
                a.type(),
                a.level(),
                a.status(),
                a.parentId(),
                a.createdAt(),
                a.retiredAt(),
                a.handoffs().stream()
                        .map(h -> new Handoff(h.handoffId(), h.toAgentId(), h.toAgentType(), h.task()))
                        .toList(),
                tree.children().stream().map(AgentTreeView::of).toList());
    }
}
