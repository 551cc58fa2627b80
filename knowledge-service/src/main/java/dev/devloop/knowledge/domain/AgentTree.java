package dev.devloop.knowledge.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An agent with its descendants, built from the flat {@link AgentNode}s of one subtree. */
public record AgentTree(AgentNode agent, List<AgentTree> children) {

    /** Builds the tree rooted at {@code rootId}; nodes not reachable from it are ignored. */
    public static AgentTree of(String rootId, List<AgentNode> nodes) {
        Map<String, AgentNode> byId = new HashMap<>();
        Map<String, List<AgentNode>> byParent = new HashMap<>();
        for (AgentNode node : nodes) {
            byId.put(node.id(), node);
            if (node.parentId() != null) {
                byParent.computeIfAbsent(node.parentId(), k -> new ArrayList<>())
                        .add(node);
            }
        }
        AgentNode root = byId.get(rootId);
        if (root == null) {
            throw new IllegalArgumentException("root " + rootId + " is not among the nodes");
        }
        return build(root, byParent, new HashSet<>());
    }

    private static AgentTree build(AgentNode node, Map<String, List<AgentNode>> byParent, Set<String> seen) {
        seen.add(node.id());
        List<AgentTree> children = new ArrayList<>();
        List<AgentNode> kids = new ArrayList<>(byParent.getOrDefault(node.id(), List.of()));
        kids.sort(Comparator.comparing(AgentNode::id));
        for (AgentNode child : kids) {
            if (!seen.contains(child.id())) {
                children.add(build(child, byParent, seen));
            }
        }
        return new AgentTree(node, List.copyOf(children));
    }

    /** Number of agents in the tree. */
    public int size() {
        return 1 + children.stream().mapToInt(AgentTree::size).sum();
    }
}
