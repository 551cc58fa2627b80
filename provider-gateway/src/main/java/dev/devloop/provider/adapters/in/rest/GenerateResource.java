package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.Stages;
import dev.devloop.provider.ports.in.GenerateUseCase;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/generate}: one normalised chat generation, tool calls included. Honors
 * {@code Cache-Control: no-cache|no-store} and the {@value #CACHE_OPT_IN} opt-in header.
 */
@Tag(name = "Generate")
@Path("/v1/generate")
public class GenerateResource {
    /** Request header opting a non-deterministic request into the response cache ({@code true}). */
    public static final String CACHE_OPT_IN = "X-Devloop-Cache";
    /** Request header asking for PII redaction before the request leaves the gateway ({@code pii}). */
    public static final String REDACT = "X-Devloop-Redact";

    /** True when the redaction header asks for it. */
    static boolean redact(String header) {
        return header != null
                && (header.trim().equalsIgnoreCase("pii") || header.trim().equalsIgnoreCase("true"));
    }

    private final GenerateUseCase generate;
    private final Caller caller;

    public GenerateResource(GenerateUseCase generate, Caller caller) {
        this.generate = generate;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(
            responseCode = "429",
            description = "The tenant's monthly budget is spent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Operation(summary = "Chat with a model: messages, tools, options; routed, cached, metered")
    @Blocking // validation and the cache lookup may block; a non-blocking provider's answer is not waited for
    public Uni<GenerateResponse> generate(
            @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl,
            @HeaderParam(CACHE_OPT_IN) String cacheOptIn,
            @HeaderParam(REDACT) String redact,
            GenerateRequest request) {
        var answer = generate.generateAsync(
                caller.tenant(), request, CacheMode.of(cacheControl, cacheOptIn), redact(redact));
        AnswerOnEventLoop.afterThis(); // what may block is done: the answer is written from the event loop
        return Uni.createFrom()
                .completionStage(answer)
                .onFailure(CompletionException.class)
                .transform(Stages::cause);
    }
}
