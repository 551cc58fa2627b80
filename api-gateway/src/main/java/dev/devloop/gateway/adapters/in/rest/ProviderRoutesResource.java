package dev.devloop.gateway.adapters.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.Headers;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.gateway.domain.HopRequest;
import dev.devloop.gateway.domain.Roles;
import dev.devloop.gateway.domain.Service;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * provider-gateway under {@code /api/v1}: generation and OpenAI-compatible chat completions (they cost
 * money: operators and admins; never retried), models, providers and usage (viewers).
 */
@Path("/api/v1")
// Writes block: the Idempotency-Key protocol claims and completes keys with the blocking Redis client and the
// hop waits for the answer on this worker. Reads (@GET) are @NonBlocking and run on the event loop end to end.
@Blocking
@Tag(
        name = "provider-gateway",
        description = "Generation, chat completions, models, safety and usage (forwarded to provider-gateway)")
public class ProviderRoutesResource {
    private static final Service P = Service.PROVIDER;
    private final ServiceRoutes routes;
    private final ObjectMapper json;

    public ProviderRoutesResource(ServiceRoutes routes, ObjectMapper json) {
        this.routes = routes;
        this.json = json;
    }

    @Operation(summary = "Generate text")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/generate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response generate(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        return routes.call(
                "llm.generate", "POST /api/v1/generate", llm("/v1/generate", body), key, ServiceRoutes.asIs());
    }

    /**
     * OpenAI-compatible. With {@code "stream": true} provider-gateway's SSE chunks are relayed as they arrive
     * (auth, tenant and rate limit settled before the first byte; a problem before the first chunk is passed on
     * as problem+json; a client that goes away cancels the call). A stream is not replayable, so it takes no
     * {@code Idempotency-Key}.
     */
    @Operation(summary = "Chat completions (OpenAI-compatible)")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Response chatCompletions(@HeaderParam(Headers.IDEMPOTENCY_KEY) String key, byte[] body) {
        HopRequest request = llm("/v1/chat/completions", body);
        if (wantsStream(body)) {
            if (key != null) {
                throw ProblemException.badRequest(
                        Headers.IDEMPOTENCY_KEY,
                        "a streamed chat completion (stream: true) cannot be replayed; send it without "
                                + Headers.IDEMPOTENCY_KEY);
            }
            return routes.stream("llm.chat", "POST /api/v1/chat/completions", request);
        }
        return routes.call("llm.chat", "POST /api/v1/chat/completions", request, key, ServiceRoutes.asIs());
    }

    /** Whether the body is a JSON object with {@code "stream": true} (anything else is forwarded as a plain call). */
    private boolean wantsStream(byte[] body) {
        if (body == null || body.length == 0) {
            return false;
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null
                    && node.isObject()
                    && node.path("stream").isBoolean()
                    && node.path("stream").booleanValue();
        } catch (IOException malformed) {
            return false; // provider-gateway answers the 400
        }
    }

    /**
     * OpenAI-compatible: provider-gateway's {@code {"object":"list","data":[…]}} passed through as it is, so the
     * official SDKs' {@code models.list()} reads it (no gateway paging or {@code fields=} on this route).
     */
    @Operation(summary = "List models")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/models")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> models() {
        return routes.read(
                "llm.models", "GET /api/v1/models", HopRequest.read(P, "/v1/models", null), ServiceRoutes.asIs());
    }

    /** The tenant's model-boundary safety settings (provider-gateway {@code GET /safety/settings}); admins only. */
    @Operation(summary = "Read the model safety settings")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/admin/model-safety")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> modelSafety() {
        return routes.read(
                "admin.model-safety",
                "GET /api/v1/admin/model-safety",
                HopRequest.read(P, "/safety/settings", null),
                ServiceRoutes.asIs());
    }

    /**
     * Replaces the tenant's safety settings ({@code {"piiRedaction": bool, "injectionMode": "block"|"flag"|"off"}},
     * both required, nothing else), checked here (400 naming the field) and forwarded to provider-gateway
     * {@code PUT /safety/settings}, which audits who changed what (subject from the token).
     */
    @Operation(summary = "Replace the model safety settings")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @PUT
    @Path("/admin/model-safety")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response updateModelSafety(byte[] body) {
        SafetySettingsRules.check(json, body);
        return routes.call(
                "admin.model-safety",
                "PUT /api/v1/admin/model-safety",
                new HopRequest(P, "PUT", "/safety/settings", null, body, MediaType.APPLICATION_JSON, true, false),
                ServiceRoutes.asIs());
    }

    @Operation(summary = "List providers and their health")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/providers")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> providers() {
        return routes.read(
                "llm.providers",
                "GET /api/v1/providers",
                HopRequest.read(P, "/v1/providers", null),
                ServiceRoutes.asIs());
    }

    /**
     * The tenant's usage (calls, tokens, estimated cost; provider-gateway {@code GET /v1/usage}): {@code from} and
     * {@code to} ISO dates or instants (default: the current UTC month), {@code groupBy} model (default), provider,
     * agent or day. Checked here (400 naming the parameter), then forwarded as written.
     */
    @Operation(summary = "Read usage and cost")
    @APIResponse(
            responseCode = "200",
            description = "the service's answer, passed through (its schema: /api/v1/openapi)")
    @GET
    @NonBlocking // the event-loop fast path: non-blocking Redis rate limit and Vert.x hop
    @Path("/usage")
    @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> usage(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("groupBy") String groupBy,
            @Context RoutingContext http) {
        return HotReads.USAGE.read(routes, http, HotReads.Values.of("from", from, "to", to, "groupBy", groupBy));
    }

    private static HopRequest llm(String path, byte[] body) {
        return new HopRequest(P, "POST", path, null, body, MediaType.APPLICATION_JSON, false, true);
    }
}
