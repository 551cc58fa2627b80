package dev.devloop.tools.adapters.out.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.knowledge.FactWrite;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.opentelemetry.api.trace.SpanKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Fault-tolerant calls to knowledge-service. Only the read is retried: a write is not idempotent
 * across tiers from here. 4xx answers become {@link KnowledgeRejectedException}, skipped by the circuit.
 */
@ApplicationScoped
class KnowledgeCalls {
  private final KnowledgeServiceApi api;
  private final KnowledgeGraphApi graph;
  private final ObjectMapper json;

  KnowledgeCalls(@RestClient KnowledgeServiceApi api, @RestClient KnowledgeGraphApi graph, ObjectMapper json) {
    this.api = api;
    this.graph = graph;
    this.json = json;
  }

  @WithSpan(value = "knowledge.entity", kind = SpanKind.CLIENT)
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = KnowledgeRejectedException.class)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = KnowledgeRejectedException.class)
  Optional<JsonNode> entity(String tenant, String id) {
    try {
      return Optional.ofNullable(graph.entity(tenant, id));
    } catch (WebApplicationException e) {
      return absentOn404(e);
    }
  }

  @WithSpan(value = "knowledge.neighbourhood", kind = SpanKind.CLIENT)
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = KnowledgeRejectedException.class)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = KnowledgeRejectedException.class)
  Optional<JsonNode> neighbourhood(String tenant, String id, int depth) {
    try {
      return Optional.ofNullable(graph.neighbourhood(tenant, id, depth));
    } catch (WebApplicationException e) {
      return absentOn404(e);
    }
  }

  @WithSpan(value = "knowledge.entities", kind = SpanKind.CLIENT)
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = KnowledgeRejectedException.class)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = KnowledgeRejectedException.class)
  JsonNode entities(String tenant, String type, int limit) {
    try {
      return graph.entities(tenant, type, limit);
    } catch (WebApplicationException e) {
      throw rejectedOrFailed(e);
    }
  }

  @WithSpan(value = "knowledge.relationships", kind = SpanKind.CLIENT)
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = KnowledgeRejectedException.class)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = KnowledgeRejectedException.class)
  JsonNode relationships(String tenant, String type, int limit) {
    try {
      return graph.relationships(tenant, type, limit);
    } catch (WebApplicationException e) {
      throw rejectedOrFailed(e);
    }
  }

  /** Search is read-only, so it is retried like the GETs; the first query may load the embedding model. */
  @WithSpan(value = "knowledge.search", kind = SpanKind.CLIENT)
  @Timeout(value = 15, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 1, delay = 200, jitter = 100, abortOn = {KnowledgeRejectedException.class,
      org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class})
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = KnowledgeRejectedException.class)
  JsonNode search(String tenant, JsonNode body) {
    try {
      return graph.search(tenant, body);
    } catch (WebApplicationException e) {
      throw rejectedOrFailed(e);
    }
  }

  private Optional<JsonNode> absentOn404(WebApplicationException e) {
    if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
      return Optional.empty();
    }
    throw rejectedOrFailed(e);
  }

  @WithSpan(value = "knowledge.store_fact", kind = SpanKind.CLIENT)
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = KnowledgeRejectedException.class)
  JsonNode store(String tenant, String entity, String attribute, FactWrite body) {
    try {
      return api.store(tenant, entity, attribute, body);
    } catch (WebApplicationException e) {
      throw rejectedOrFailed(e);
    }
  }

  @WithSpan(value = "knowledge.retrieve_fact", kind = SpanKind.CLIENT)
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = KnowledgeRejectedException.class)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = KnowledgeRejectedException.class)
  Optional<JsonNode> retrieve(String tenant, String entity, String attribute) {
    try {
      return Optional.ofNullable(api.retrieve(tenant, entity, attribute));
    } catch (WebApplicationException e) {
      if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
        return Optional.empty();
      }
      throw rejectedOrFailed(e);
    }
  }

  private RuntimeException rejectedOrFailed(WebApplicationException e) {
    int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
    if (status >= 400 && status < 500) {
      return new KnowledgeRejectedException("knowledge-service refused the call (" + status + "): " + detail(e));
    }
    return e;
  }

  private String detail(WebApplicationException e) {
    try {
      String body = e.getResponse().readEntity(String.class);
      JsonNode problem = json.readTree(body);
      String field = problem.path("field").asText("");
      String detail = problem.path("detail").asText(body);
      return field.isEmpty() ? detail : field + ": " + detail;
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException ex) {
      return "no detail";
    }
  }
}
