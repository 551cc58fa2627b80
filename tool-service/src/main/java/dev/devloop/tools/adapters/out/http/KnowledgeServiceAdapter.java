package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.knowledge.FactWrite;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.KnowledgePort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/** Outbound adapter: the knowledge port served by knowledge-service over REST. */
@ApplicationScoped
class KnowledgeServiceAdapter implements KnowledgePort {
    private final KnowledgeCalls calls;

    KnowledgeServiceAdapter(KnowledgeCalls calls) {
        this.calls = calls;
    }

    @Override
    public JsonNode storeFact(String tenant, String entity, String attribute, JsonNode value, Long ttlSeconds) {
        return guarded(() -> calls.store(tenant, entity, attribute, new FactWrite(value, ttlSeconds)));
    }

    @Override
    public Optional<JsonNode> retrieveFact(String tenant, String entity, String attribute) {
        return guarded(() -> calls.retrieve(tenant, entity, attribute));
    }

    @Override
    public Optional<JsonNode> entity(String tenant, String id) {
        return guarded(() -> calls.entity(tenant, id));
    }

    @Override
    public Optional<JsonNode> neighbourhood(String tenant, String id, int depth) {
        return guarded(() -> calls.neighbourhood(tenant, id, depth));
    }

    @Override
    public JsonNode entities(String tenant, String type, int limit) {
        return guarded(() -> calls.entities(tenant, type, limit));
    }

    @Override
    public JsonNode relationships(String tenant, String type, int limit) {
        return guarded(() -> calls.relationships(tenant, type, limit));
    }

    @Override
    public JsonNode search(String tenant, SearchQuery query) {
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("query", query.query())
                .put("mode", query.mode())
                .put("limit", query.limit());
        if (query.filters() != null
                && query.filters().isObject()
                && !query.filters().isEmpty()) {
            body.set("filters", query.filters());
        }
        return guarded(() -> calls.search(tenant, body));
    }

    @Override
    public Optional<JsonNode> roadmapNode(String tenant, String id) {
        return guarded(() -> calls.roadmapNode(tenant, id));
    }

    @Override
    public Optional<JsonNode> roadmapTree(String tenant, String id, int depth) {
        return guarded(() -> calls.roadmapTree(tenant, id, depth));
    }

    @Override
    public Optional<JsonNode> roadmapProgress(String tenant, String id) {
        return guarded(() -> calls.roadmapProgress(tenant, id));
    }

    @Override
    public JsonNode roadmapReady(String tenant, String level, String under, int limit) {
        return guarded(() -> calls.roadmapReady(tenant, level, under, limit));
    }

    @Override
    public JsonNode roadmapOrder(String tenant, String level, String under) {
        return guarded(() -> calls.roadmapOrder(tenant, level, under));
    }

    @Override
    public Optional<JsonNode> roadmapCriticalPath(String tenant, String milestoneId) {
        return guarded(() -> calls.roadmapCriticalPath(tenant, milestoneId));
    }

    @Override
    public Optional<String> roadmapReleaseNotes(String tenant, String milestoneId) {
        return guarded(() -> calls.roadmapReleaseNotes(tenant, milestoneId));
    }

    @Override
    public Optional<String> roadmapChangelog(String tenant, String featureId) {
        return guarded(() -> calls.roadmapChangelog(tenant, featureId));
    }

    @Override
    public JsonNode createRoadmapNode(String tenant, JsonNode node) {
        return guarded(() -> calls.createRoadmapNode(tenant, node));
    }

    @Override
    public JsonNode updateRoadmapNode(String tenant, String id, JsonNode patch) {
        return guarded(() -> calls.updateRoadmapNode(tenant, id, patch));
    }

    private static <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (KnowledgeRejectedException e) {
            throw new DownstreamException(e.getMessage());
        } catch (CircuitBreakerOpenException e) {
            throw new DownstreamException("knowledge-service is unavailable (circuit open); try again later", e);
        } catch (TimeoutException e) {
            throw new DownstreamException("knowledge-service did not answer in time", e);
        } catch (RuntimeException e) {
            throw new DownstreamException(
                    "knowledge-service call failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
