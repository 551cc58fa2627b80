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
 * official SDKs show the reason. The gateway's own routes keep problem+json, and so does a request that sends
 * {@code X-Devloop-Error-Format: problem+json}.
 */
@Provider
public class OpenAiErrorFilter implements ContainerResponseFilter {
    /** The request header that asks the OpenAI-compatible routes for problem+json errors. */
    public static final String ERROR_FORMAT = "X-Devloop-Error-Format";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() < 400
                || !OpenAiErrors.openAiPath(request.getUriInfo().getPath())
                || asksForProblemJson(request)) {
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

    /**
     * A Devloop client that asks for problem+json with {@value #ERROR_FORMAT}{@code : problem+json} gets it, as on the
     * gateway's own routes. A header of its own, not {@code Accept}: api-gateway's hop accepts problem+json on every
     * route and turns a problem into OpenAI's shape by its own mapping, so it must keep getting this gateway's.
     */
    private static boolean asksForProblemJson(ContainerRequestContext request) {
        return "problem+json".equalsIgnoreCase(request.getHeaderString(ERROR_FORMAT));
    }
}
