package dev.devloop.tools.ports.out;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Outgoing port to knowledge-service: facts, the entity graph and search. Answers stay JSON trees as
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

  /** A search request: mode {@code vector|keyword|hybrid}, filters on document metadata (scalars). */
  record SearchQuery(String query, String mode, int limit, JsonNode filters) {}
}
