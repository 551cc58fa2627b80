package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devloop.contracts.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Rewrites every problem+json error of an OpenAI-compatible route ({@link OpenAiErrors#openAiPath}) into
 * OpenAI's {@code {"error":{…}}} shape with the same status and headers ({@code Retry-After} kept), so the
 * official SDKs show the reason. The gateway's own routes keep problem+json.
 */
@Provider
public class OpenAiErrorFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() < 400
                || !OpenAiErrors.openAiPath(request.getUriInfo().getPath())) {
            return;
        }
        MediaType type = response.getMediaType();
        Object entity = response.getEntity();
        JsonNode problem = null;
        if (entity instanceof String s
                && (type == null || Problem.MEDIA_TYPE.equals(type.getType() + "/" + type.getSubtype()))) {
            try {
                problem = OpenAiWire.JSON.readTree(s);
            } catch (Exception e) {
                problem = null;
            }
        }
        String body;
        if (problem != null && problem.isObject() && problem.has("type")) {
            body = OpenAiErrors.fromProblem(problem, response.getStatus()).toString();
        } else if (entity == null || entity instanceof String) {
            body = OpenAiErrors.error(
                            response.getStatus(),
                            null,
                            entity == null || ((String) entity).isBlank()
                                    ? "HTTP " + response.getStatus()
                                    : (String) entity,
                            null)
                    .toString();
        } else {
            return; // an entity of another kind is not an error body we know
        }
        response.setEntity(body, null, MediaType.APPLICATION_JSON_TYPE);
        response.getHeaders().putSingle("Content-Type", MediaType.APPLICATION_JSON);
    }
}
