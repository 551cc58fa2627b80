package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.knowledge.FactWrite;
import dev.devloop.tools.ports.out.DependencyUnavailableException;
import dev.devloop.tools.ports.out.DownstreamException;
import dev.devloop.tools.ports.out.KnowledgePort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/** Outbound adapter: the knowledge port served by knowledge-service over REST. */
@ApplicationScoped
class KnowledgeServiceAdapter implements KnowledgePort {
    private static final String SERVICE = "knowledge-service";
    /** Repeating the call after an ambiguous failure changes nothing more (a read, the fact overwrite). */
    private static final boolean REPEATABLE = true;
    /** A call that may have taken effect before it failed must not be repeated blindly. */
    private static final boolean WRITE = false;

    private final KnowledgeCalls calls;

    KnowledgeServiceAdapter(KnowledgeCalls calls) {
        this.calls = calls;
    }

    @Override
    public JsonNode storeFact(String tenant, String entity, String attribute, JsonNode value, Long ttlSeconds) {
        return guarded(REPEATABLE, () -> calls.store(tenant, entity, attribute, new FactWrite(value, ttlSeconds)));
    }

    @Override
    public Optional<JsonNode> retrieveFact(String tenant, String entity, String attribute) {
        return guarded(REPEATABLE, () -> calls.retrieve(tenant, entity, attribute));
    }

    @Override
    public Optional<JsonNode> entity(String tenant, String id) {
        return guarded(REPEATABLE, () -> calls.entity(tenant, id));
    }

    @Override
    public Optional<JsonNode> neighbourhood(String tenant, String id, int depth) {
        return guarded(REPEATABLE, () -> calls.neighbourhood(tenant, id, depth));
    }

    @Override
    public JsonNode entities(String tenant, String type, int limit) {
        return guarded(REPEATABLE, () -> calls.entities(tenant, type, limit));
    }

    @Override
    public JsonNode relationships(String tenant, String type, int limit) {
        return guarded(REPEATABLE, () -> calls.relationships(tenant, type, limit));
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
        return guarded(REPEATABLE, () -> calls.search(tenant, body));
    }

    @Override
    public Optional<JsonNode> roadmapNode(String tenant, String id) {
        return guarded(REPEATABLE, () -> calls.roadmapNode(tenant, id));
    }

    @Override
    public Optional<JsonNode> roadmapTree(String tenant, String id, int depth) {
        return guarded(REPEATABLE, () -> calls.roadmapTree(tenant, id, depth));
    }

    @Override
    public Optional<JsonNode> roadmapProgress(String tenant, String id) {
        return guarded(REPEATABLE, () -> calls.roadmapProgress(tenant, id));
    }

    @Override
    public JsonNode roadmapReady(String tenant, String level, String under, int limit) {
        return guarded(REPEATABLE, () -> calls.roadmapReady(tenant, level, under, limit));
    }

    @Override
    public JsonNode roadmapOrder(String tenant, String level, String under) {
        return guarded(REPEATABLE, () -> calls.roadmapOrder(tenant, level, under));
    }

    @Override
    public Optional<JsonNode> roadmapCriticalPath(String tenant, String milestoneId) {
        return guarded(REPEATABLE, () -> calls.roadmapCriticalPath(tenant, milestoneId));
    }

    @Override
    public Optional<String> roadmapReleaseNotes(String tenant, String milestoneId) {
        return guarded(REPEATABLE, () -> calls.roadmapReleaseNotes(tenant, milestoneId));
    }

    @Override
    public Optional<String> roadmapChangelog(String tenant, String featureId) {
        return guarded(REPEATABLE, () -> calls.roadmapChangelog(tenant, featureId));
    }

    @Override
    public JsonNode createRoadmapNode(String tenant, JsonNode node) {
        return guarded(WRITE, () -> calls.createRoadmapNode(tenant, node));
    }

    @Override
    public JsonNode updateRoadmapNode(String tenant, String id, JsonNode patch) {
        return guarded(WRITE, () -> calls.updateRoadmapNode(tenant, id, patch));
    }

    /**
     * Runs one call. A 4xx answer is the tool's result ({@link DownstreamException}, read by the model). An outage —
     * the circuit open, the connection refused, knowledge-service answering 502/503/504 — is a
     * {@link DependencyUnavailableException}: the call did not take effect, so the invocation is retried later rather
     * than recorded as failed. A call cut off mid-way (timeout, broken connection) may have taken effect: only a
     * {@code repeatable} one (a read, the fact overwrite) is an outage then, a write stays a failure.
     */
    private static <T> T guarded(boolean repeatable, Supplier<T> call) {
        try {
            return call.get();
        } catch (KnowledgeRejectedException e) {
            throw new DownstreamException(e.getMessage());
        } catch (CircuitBreakerOpenException e) {
            throw unavailable("unavailable (circuit open)", e);
        } catch (TimeoutException e) {
            if (repeatable) {
                throw unavailable("did not answer in time", e);
            }
            throw new DownstreamException("knowledge-service did not answer in time", e);
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
            if (status == 502 || status == 503 || status == 504) {
                throw unavailable("answered " + status, e);
            }
            throw new DownstreamException(
                    "knowledge-service call failed: " + e.getClass().getSimpleName(), e);
        } catch (RuntimeException e) {
            if (neverSent(e) || (repeatable && e instanceof ProcessingException)) {
                throw unavailable("unreachable (" + e.getClass().getSimpleName() + ")", e);
            }
            throw new DownstreamException(
                    "knowledge-service call failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private static DependencyUnavailableException unavailable(String what, Throwable cause) {
        return new DependencyUnavailableException(SERVICE, SERVICE + " " + what, cause);
    }

    /** The connection was never made, so knowledge-service never saw the request. */
    private static boolean neverSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }
}
