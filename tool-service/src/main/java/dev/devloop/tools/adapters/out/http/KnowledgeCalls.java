package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.knowledge.FactWrite;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Fault-tolerant calls to knowledge-service. Every method has the class's 5 s {@code @Timeout} (search
 * overrides it) and its own circuit (open {@value #CIRCUIT_DELAY_MS} ms) ({@code @CircuitBreaker} on the class applies per
 * method); the class's {@code @Retry} retries the reads, and each write opts out ({@code maxRetries = 0}): a write is
 * not idempotent across tiers from here. Every call goes through
 * {@link #guarded} (or {@link #absentOn404} for lookups), the one place mapping answers: 4xx become
 * {@link KnowledgeRejectedException}, skipped by the circuit and never retried.
 */
@ApplicationScoped
@Timeout(value = 5, unit = ChronoUnit.SECONDS)
@CircuitBreaker(
        requestVolumeThreshold = 10,
        failureRatio = 0.5,
        delay = KnowledgeCalls.CIRCUIT_DELAY_MS,
        skipOn = KnowledgeRejectedException.class)
@Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = KnowledgeRejectedException.class)
class KnowledgeCalls {
    /**
     * An open circuit answers at once for this long: short, so an invocation waiting out a knowledge-service outage
     * goes on within it of the return (#18), not a long delay later.
     */
    static final long CIRCUIT_DELAY_MS = 2_000;

    private final KnowledgeServiceApi api;
    private final KnowledgeGraphApi graph;
    private final KnowledgeRoadmapApi roadmap;
    private final ObjectMapper json;

    KnowledgeCalls(
            @RestClient KnowledgeServiceApi api,
            @RestClient KnowledgeGraphApi graph,
            @RestClient KnowledgeRoadmapApi roadmap,
            ObjectMapper json) {
        this.api = api;
        this.graph = graph;
        this.roadmap = roadmap;
        this.json = json;
    }

    @WithSpan(value = "knowledge.entity", kind = SpanKind.CLIENT)
    Optional<JsonNode> entity(String tenant, String id) {
        return absentOn404(() -> graph.entity(tenant, id));
    }

    @WithSpan(value = "knowledge.neighbourhood", kind = SpanKind.CLIENT)
    Optional<JsonNode> neighbourhood(String tenant, String id, int depth) {
        return absentOn404(() -> graph.neighbourhood(tenant, id, depth));
    }

    @WithSpan(value = "knowledge.entities", kind = SpanKind.CLIENT)
    JsonNode entities(String tenant, String type, int limit) {
        return guarded(() -> graph.entities(tenant, type, limit));
    }

    @WithSpan(value = "knowledge.relationships", kind = SpanKind.CLIENT)
    JsonNode relationships(String tenant, String type, int limit) {
        return guarded(() -> graph.relationships(tenant, type, limit));
    }

    /** Search is read-only, so it is retried like the GETs; the first query may load the embedding model. */
    @WithSpan(value = "knowledge.search", kind = SpanKind.CLIENT)
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(
            maxRetries = 1,
            delay = 200,
            jitter = 100,
            abortOn = {
                KnowledgeRejectedException.class,
                org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class
            })
    JsonNode search(String tenant, JsonNode body) {
        return guarded(() -> graph.search(tenant, body));
    }

    /** Runs one REST call: a 4xx answer → {@link KnowledgeRejectedException}, anything else propagates (5xx, I/O). */
    private <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            throw rejectedOrFailed(e);
        }
    }

    /** A lookup: 404 → empty, otherwise as {@link #guarded}. */
    private <T> Optional<T> absentOn404(Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw rejectedOrFailed(e);
        }
    }

    @WithSpan(value = "knowledge.store_fact", kind = SpanKind.CLIENT)
    @Retry(maxRetries = 0)
    JsonNode store(String tenant, String entity, String attribute, FactWrite body) {
        return guarded(() -> api.store(tenant, entity, attribute, body));
    }

    @WithSpan(value = "knowledge.retrieve_fact", kind = SpanKind.CLIENT)
    Optional<JsonNode> retrieve(String tenant, String entity, String attribute) {
        return absentOn404(() -> api.retrieve(tenant, entity, attribute));
    }

    @WithSpan(value = "knowledge.roadmap.node", kind = SpanKind.CLIENT)
    Optional<JsonNode> roadmapNode(String tenant, String id) {
        return absentOn404(() -> roadmap.node(tenant, id));
    }

    @WithSpan(value = "knowledge.roadmap.tree", kind = SpanKind.CLIENT)
    Optional<JsonNode> roadmapTree(String tenant, String id, int depth) {
        return absentOn404(() -> roadmap.tree(tenant, id, depth));
    }

    @WithSpan(value = "knowledge.roadmap.progress", kind = SpanKind.CLIENT)
    Optional<JsonNode> roadmapProgress(String tenant, String id) {
        return absentOn404(() -> roadmap.progress(tenant, id));
    }

    @WithSpan(value = "knowledge.roadmap.ready", kind = SpanKind.CLIENT)
    JsonNode roadmapReady(String tenant, String level, String under, int limit) {
        return guarded(() -> roadmap.ready(tenant, level, under, limit));
    }

    @WithSpan(value = "knowledge.roadmap.order", kind = SpanKind.CLIENT)
    JsonNode roadmapOrder(String tenant, String level, String under) {
        return guarded(() -> roadmap.order(tenant, level, under));
    }

    @WithSpan(value = "knowledge.roadmap.critical_path", kind = SpanKind.CLIENT)
    Optional<JsonNode> roadmapCriticalPath(String tenant, String milestoneId) {
        return absentOn404(() -> roadmap.criticalPath(tenant, milestoneId));
    }

    @WithSpan(value = "knowledge.roadmap.release_notes", kind = SpanKind.CLIENT)
    Optional<String> roadmapReleaseNotes(String tenant, String milestoneId) {
        return absentOn404(() -> roadmap.releaseNotes(tenant, milestoneId));
    }

    @WithSpan(value = "knowledge.roadmap.changelog", kind = SpanKind.CLIENT)
    Optional<String> roadmapChangelog(String tenant, String featureId) {
        return absentOn404(() -> roadmap.changelog(tenant, featureId));
    }

    @WithSpan(value = "knowledge.roadmap.create", kind = SpanKind.CLIENT)
    @Retry(maxRetries = 0)
    JsonNode createRoadmapNode(String tenant, JsonNode body) {
        return guarded(() -> roadmap.create(tenant, body));
    }

    @WithSpan(value = "knowledge.roadmap.update", kind = SpanKind.CLIENT)
    @Retry(maxRetries = 0)
    JsonNode updateRoadmapNode(String tenant, String id, JsonNode body) {
        return guarded(() -> roadmap.update(tenant, id, body));
    }

    private RuntimeException rejectedOrFailed(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 400 && status < 500) {
            return new KnowledgeRejectedException(KnowledgeProblems.describe(status, body(e), json));
        }
        return e;
    }

    private static String body(WebApplicationException e) {
        try {
            return e.getResponse().readEntity(String.class);
        } catch (RuntimeException ex) {
            return null;
        }
    }
}
