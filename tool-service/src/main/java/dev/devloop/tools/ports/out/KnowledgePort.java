package dev.devloop.tools.ports.out;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Outgoing port to knowledge-service: facts, the entity graph, search and the roadmap graph. Answers stay JSON trees as
 * knowledge-service describes them; failures surface as {@link DownstreamException}.
 */
public interface KnowledgePort {
    /** Stores a fact and returns the stored fact as knowledge-service describes it (tier included). */
    JsonNode storeFact(String tenant, String entity, String attribute, JsonNode value, Long ttlSeconds);

    /** The fact, or empty when knowledge-service has none. */
    Optional<JsonNode> retrieveFact(String tenant, String entity, String attribute);

    /** {@code GET /entities/{id}}: the entity with its relations, or empty when unknown. */
    Optional<JsonNode> entity(String tenant, String id);

    /** {@code GET /entities/{id}/neighbourhood?depth=}: or empty when the centre is unknown. */
    Optional<JsonNode> neighbourhood(String tenant, String id, int depth);

    /** {@code GET /entities?type=&limit=}: a JSON array; {@code type} may be null for every type. */
    JsonNode entities(String tenant, String type, int limit);

    /** {@code GET /relationships?type=&limit=}: a JSON array; {@code type} may be null for every type. */
    JsonNode relationships(String tenant, String type, int limit);

    /** {@code POST /search}: {@code {mode, hits}}. */
    JsonNode search(String tenant, SearchQuery query);

    /** {@code GET /roadmap/nodes/{id}}: the node with {@code dependsOn}, {@code children} and {@code progress}, or empty. */
    Optional<JsonNode> roadmapNode(String tenant, String id);

    /** {@code GET /roadmap/nodes/{id}/tree?depth=}: the nested tree with each node's roll-up, or empty. */
    Optional<JsonNode> roadmapTree(String tenant, String id, int depth);

    /** {@code GET /roadmap/nodes/{id}/progress}: the roll-up, or empty when the node is unknown. */
    Optional<JsonNode> roadmapProgress(String tenant, String id);

    /** {@code GET /roadmap/ready?level=&under=&limit=}: a JSON array; {@code level}/{@code under} may be null. */
    JsonNode roadmapReady(String tenant, String level, String under, int limit);

    /** {@code GET /roadmap/order?level=&under=}: {@code [{id, rank}]}; {@code level}/{@code under} may be null. */
    JsonNode roadmapOrder(String tenant, String level, String under);

    /** {@code GET /roadmap/milestones/{id}/critical-path}, or empty when the milestone is unknown. */
    Optional<JsonNode> roadmapCriticalPath(String tenant, String milestoneId);

    /** {@code GET /roadmap/milestones/{id}/release-notes}: the milestone's notes (Keep a Changelog markdown), or empty. */
    Optional<String> roadmapReleaseNotes(String tenant, String milestoneId);

    /** {@code GET /roadmap/features/{id}/changelog}: the merged feature's changelog entry (markdown), or empty. */
    Optional<String> roadmapChangelog(String tenant, String featureId);

    /** {@code POST /roadmap/nodes}: the created node. */
    JsonNode createRoadmapNode(String tenant, JsonNode node);

    /** {@code PATCH /roadmap/nodes/{id}}: the changed node ({@code links.runs} are appended by knowledge-service). */
    JsonNode updateRoadmapNode(String tenant, String id, JsonNode patch);

    /** A search request: mode {@code vector|keyword|hybrid}, filters on document metadata (scalars). */
    record SearchQuery(String query, String mode, int limit, JsonNode filters) {}
}
