package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.problem.Problem;
import dev.devloop.gateway.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The last word on every JAX-RS answer's error contract: a 503 without {@code Retry-After} gets the configured one
 * (a sibling down, a circuit open, a full bulkhead, a store unreachable: the client is told when to come back), and
 * on the OpenAI-compatible routes a problem+json (the gateway's own 400/401/403/413/415/429/503/504, or a sibling's)
 * becomes OpenAI's {@code {"error":{…}}}. Success answers are not touched (nothing is read or copied).
 */
public class ContractResponseFilter {
    private static final MediaType PROBLEM = MediaType.valueOf(Problem.MEDIA_TYPE);
    private final String retryAfterSeconds;

    public ContractResponseFilter(GatewayConfig config) {
        this.retryAfterSeconds =
                Long.toString(Math.max(1, config.hop().retryAfter().toSeconds()));
    }

    @ServerResponseFilter
    public void errors(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400) {
            return;
        }
        if (status == 503 && !response.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)) {
            response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        if (!OpenAiErrors.isOpenAiRoute(request.getUriInfo().getRequestUri().getRawPath())) {
            return;
        }
        MediaType type = response.getMediaType();
        if (type == null || !PROBLEM.isCompatible(type)) {
            return; // a sibling's own OpenAI-shaped error, relayed unchanged
        }
        Object entity = response.getEntity();
        byte[] problem = entity instanceof byte[] bytes
                ? bytes
                : entity instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : null;
        if (problem == null) {
            return;
        }
        response.setEntity(
                OpenAiErrors.fromProblem(status, problem), new Annotation[0], MediaType.APPLICATION_JSON_TYPE);
        response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
    }
}
