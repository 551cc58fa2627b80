package dev.devloop.knowledge.ports.out;

import dev.devloop.knowledge.domain.roadmap.PlanItem;
import dev.devloop.knowledge.domain.roadmap.Progress;
import dev.devloop.knowledge.domain.roadmap.RoadmapEvent;
import dev.devloop.knowledge.domain.roadmap.RoadmapLevel;
import dev.devloop.knowledge.domain.roadmap.RoadmapNode;
import dev.devloop.knowledge.domain.roadmap.RoadmapStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One transaction on one tenant's roadmap graph; every call is bounded by the limits it is given. */
public interface RoadmapTx {
    Optional<RoadmapNode> node(String id);

    /** The nodes among {@code ids} that exist, by id. */
    Map<String, RoadmapNode> nodes(Collection<String> ids);

    /** Nodes by id after {@code afterId}, optionally of a level, under a parent, in a status. */
    List<RoadmapNode> list(RoadmapLevel level, String parentId, RoadmapStatus status, String afterId, int limit);

    /** Ids of the node's children, by id. */
    List<String> children(String id, int limit);

    /** How many nodes lie under the node (all depths). */
    long descendants(String id);

    /** Ids the node depends on, by id. */
    List<String> dependsOn(String id, int limit);

    /** The statuses of the nodes the node depends on, by id. */
    Map<String, RoadmapStatus> dependencyStatuses(String id);

    /** Ids of the node's ancestors, parent first. */
    List<String> ancestors(String id);

    /** Roll-ups of the existing nodes among {@code ids} (one query). */
    Map<String, Progress> progress(Collection<String> ids);

    /** The shortest {@code DEPENDS_ON} path from {@code fromId} to {@code toId} (ids, both ends), within depth. */
    Optional<List<String>> dependencyPath(String fromId, String toId, int maxDepth);

    /** Every {@code DEPENDS_ON} edge of the tenant (at most {@code max}; more → the answer holds max + 1 edges). */
    Map<String, List<String>> dependencyEdges(int max);

    /** The node and its descendants down to {@code depth}, parents before children, at most {@code max}. */
    List<RoadmapNode> subtree(String id, int depth, int max);

    /**
     * Projection of the features or tasks of {@code level} (under {@code underId}, or all), with their
     * dependencies; at most {@code max}.
     */
    List<PlanItem> plan(RoadmapLevel level, String underId, int max);

    /** Planned features or tasks (under {@code underId}, or all) whose every dependency is done, by id. */
    List<RoadmapNode> ready(RoadmapLevel level, String underId, int limit);

    void create(RoadmapNode node);

    /** Rewrites the node's fields (its id, level and tenant never change; a new parentId moves it). */
    void update(RoadmapNode node);

    /** Deletes the node (and with {@code cascade} its descendants); answers the deleted nodes. */
    List<RoadmapNode> delete(String id, boolean cascade);

    /** Adds {@code fromId → toId} when absent; true when added. */
    boolean addDependency(String fromId, String toId);

    /** Removes {@code fromId → toId}; true when it existed. */
    boolean removeDependency(String fromId, String toId);

    /** Creates or rewrites nodes and adds missing edges in batches (imports); answers how many edges were added. */
    int apply(List<RoadmapNode> creates, List<RoadmapNode> updates, Map<String, List<String>> edges);

    /** A milestone's name and features (release notes). */
    record Features(String milestoneName, List<RoadmapNode> features) {}

    /**
     * The milestone's name and its done features (by id, at most {@code max}; more → max + 1), in one query; empty
     * when there is no such milestone.
     */
    Optional<Features> doneFeatures(String milestoneId, int max);

    /** The feature and the name of the milestone above it (null when detached), in one query. */
    Optional<Features> featureWithMilestone(String featureId);

    /** Stores events in the outbox, in order, in this transaction. */
    void emit(List<RoadmapEvent> events);
}
