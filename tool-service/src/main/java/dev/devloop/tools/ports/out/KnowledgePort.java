package dev.devloop.tools.ports.out;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Outgoing port to knowledge-service's facts; failures surface as {@link DownstreamException}. */
public interface KnowledgePort {
  /** Stores a fact and returns the stored fact as knowledge-service describes it (tier included). */
  JsonNode storeFact(String tenant, String entity, String attribute, JsonNode value, Long ttlSeconds);

  /** The fact, or empty when knowledge-service has none. */
  Optional<JsonNode> retrieveFact(String tenant, String entity, String attribute);
}
