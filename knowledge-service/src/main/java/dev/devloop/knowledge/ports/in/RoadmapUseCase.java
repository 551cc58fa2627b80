package dev.devloop.knowledge.ports.in;

import dev.devloop.knowledge.domain.ListPage;
import dev.devloop.knowledge.domain.roadmap.CriticalPath;
import dev.devloop.knowledge.domain.roadmap.DependencyGraph;
import dev.devloop.knowledge.domain.roadmap.NodeDetails;
import dev.devloop.knowledge.domain.roadmap.Progress;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.TreeNode;
import java.util.List;
import java.util.Map;

/**
 * The roadmap graph (docs/roadmap.md). Request bodies come as plain JSON values (maps, lists, strings, numbers,
 * booleans) so that every field, including unknown ones and explicit nulls, is validated here.
 */
public interface RoadmapUseCase {
    RoadmapNode create(String tenant, Map<String, Object> body);

    ListPage<RoadmapNode> list(
            String tenant, String level, String parentId, String status, Integer limit, String after);

    NodeDetails get(String tenant, String id);

    RoadmapNode update(String tenant, String id, Map<String, Object> body);

    void delete(String tenant, String id, boolean cascade);

    void addDependency(String tenant, String id, String dependsOnId);

    void removeDependency(String tenant, String id, String dependsOnId);

    Progress progress(String tenant, String id);

    /** The tree and whether it was cut at the node bound. */
    record Tree(TreeNode root, boolean truncated) {}

    Tree tree(String tenant, String id, Integer depth);

    List<RoadmapNode> ready(String tenant, String level, String under, Integer limit);

    List<DependencyGraph.Ranked> order(String tenant, String level, String under);

    CriticalPath criticalPath(String tenant, String milestoneId);
}
