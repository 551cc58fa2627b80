package dev.devloop.tools.application;

import static dev.devloop.tools.application.ToolArguments.bounded;
import static dev.devloop.tools.application.ToolArguments.optional;
import static dev.devloop.tools.application.ToolArguments.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.tools.ports.in.ToolRefusal;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.KnowledgePort;
import java.util.List;

/**
 * {@code query_knowledge_graph} (entity lookup, neighbourhood, entities by type, relationships by type)
 * and {@code semantic_search} (documents by vector, keyword or hybrid search) through knowledge-service.
 * Every list the model gets back is cut at the call's {@code limit} (bounded by the schema) and says so.
 */
public final class KnowledgeGraphTools {
    public static final String QUERY_KNOWLEDGE_GRAPH = "query_knowledge_graph";
    public static final String SEMANTIC_SEARCH = "semantic_search";
    static final int DEFAULT_GRAPH_LIMIT = 20;
    static final int MAX_GRAPH_LIMIT = 100;
    static final int DEFAULT_SEARCH_LIMIT = 5;
    static final int MAX_SEARCH_LIMIT = 20;

    private final KnowledgePort knowledge;

    public KnowledgeGraphTools(KnowledgePort knowledge) {
        this.knowledge = knowledge;
    }

    public List<ToolExecutor> executors() {
        return List.of(
                ToolExecutor.ofKnowledge(QUERY_KNOWLEDGE_GRAPH, false, this::queryGraph),
                ToolExecutor.ofKnowledge(SEMANTIC_SEARCH, false, this::search));
    }

    private JsonNode queryGraph(ToolCall call) {
        JsonNode args = call.arguments();
        String operation = args.path("operation").asText();
        int limit = bounded(args, "limit", DEFAULT_GRAPH_LIMIT, MAX_GRAPH_LIMIT);
        try {
            return switch (operation) {
                case "entity" -> {
                    String id = required(args, "entity_id");
                    JsonNode entity = knowledge
                            .entity(call.tenant(), id)
                            .orElseThrow(() -> new ToolFailure("no such entity: " + id));
                    ObjectNode out = entity.deepCopy();
                    out.remove("tenant");
                    cut(out, "relations", limit);
                    out.put("operation", operation);
                    yield out;
                }
                case "neighbourhood" -> {
                    String id = required(args, "entity_id");
                    int depth = bounded(args, "depth", 1, 3);
                    JsonNode found = knowledge
                            .neighbourhood(call.tenant(), id, depth)
                            .orElseThrow(() -> new ToolFailure("no such entity: " + id));
                    ObjectNode out = found.deepCopy();
                    cut(out, "entities", limit);
                    cut(out, "relationships", limit);
                    out.put("operation", operation);
                    yield out;
                }
                case "entities" ->
                    listed(
                            operation,
                            "entities",
                            knowledge.entities(call.tenant(), optional(args, "entity_type"), limit),
                            limit);
                case "relationships" ->
                    listed(
                            operation,
                            "relationships",
                            knowledge.relationships(call.tenant(), optional(args, "relation_type"), limit),
                            limit);
                default ->
                    throw ToolRefusal.invalid(
                            "operation", "operation must be one of entity, neighbourhood, entities, relationships");
            };
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
    }

    private JsonNode search(ToolCall call) {
        JsonNode args = call.arguments();
        String query = required(args, "query");
        String mode = args.path("mode").asText("hybrid");
        int limit = bounded(args, "limit", DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT);
        JsonNode filters = args.get("filters");
        try {
            JsonNode answer =
                    knowledge.search(call.tenant(), new KnowledgePort.SearchQuery(query, mode, limit, filters));
            ObjectNode out = JsonNodeFactory.instance
                    .objectNode()
                    .put("mode", answer.path("mode").asText(mode));
            ArrayNode hits = out.putArray("hits");
            for (JsonNode hit : answer.path("hits")) {
                if (hits.size() >= limit) {
                    break;
                }
                hits.add(hit);
            }
            out.put("count", hits.size());
            return out;
        } catch (DownstreamException e) {
            throw new ToolFailure(e.getMessage());
        }
    }

    private static ObjectNode listed(String operation, String field, JsonNode items, int limit) {
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("operation", operation);
        ArrayNode list = out.putArray(field);
        for (JsonNode item : items) {
            if (list.size() >= limit) {
                break;
            }
            JsonNode copy = item.deepCopy();
            if (copy instanceof ObjectNode object) {
                object.remove("tenant");
            }
            list.add(copy);
        }
        out.put("count", list.size()).put("truncated", items.size() > limit);
        return out;
    }

    /** Keeps the first {@code limit} entries of an array field and records how many there were. */
    private static void cut(ObjectNode node, String field, int limit) {
        JsonNode list = node.get(field);
        if (list == null || !list.isArray()) {
            return;
        }
        node.put(field + "Total", list.size());
        if (list.size() > limit) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < limit; i++) {
                kept.add(list.get(i));
            }
            node.set(field, kept);
            node.put(field + "Truncated", true);
        }
    }
}
