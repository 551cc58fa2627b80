package dev.devloop.provider.adapters.in.rest;

import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.problem.ProblemException;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.ContextPrompt;
import dev.devloop.provider.ports.in.GenerateUseCase;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/generate/context} ({@code generate_with_context}): a question answered from
 * retrieved documents, with the RAG prompt laid out per provider (XML tags for Claude). Routing,
 * aliases, cache, budgets and redaction work as for {@code /v1/generate}.
 */
@Tag(name = "Generate", description = "Devloop's own chat API: tools, streaming, routing, budgets")
@Path("/v1/generate/context")
public class ContextResource {
    static final int MAX_DOCUMENTS = 64;
    static final int MAX_SOURCE = 1000;

    @RegisterForReflection
    public record ContextDocument(String source, String content) {}

    @RegisterForReflection
    public record ContextRequest(
            String provider,
            String model,
            String instructions,
            List<ContextDocument> documents,
            String question,
            GenerateOptions options,
            String agentId) {}

    private final GenerateUseCase generate;
    private final Caller caller;

    public ContextResource(GenerateUseCase generate, Caller caller) {
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
    @Operation(summary = "Answer a question over the given documents")
    public GenerateResponse generate(
            @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl,
            @HeaderParam(GenerateResource.CACHE_OPT_IN) String cacheOptIn,
            @HeaderParam(GenerateResource.REDACT) String redact,
            ContextRequest request) {
        String t = caller.tenant();
        if (request == null) {
            throw ProblemException.badRequest("body", "a JSON body is required");
        }
        if (request.question() == null || request.question().isBlank()) {
            throw ProblemException.badRequest("question", "question is required");
        }
        if (request.documents() == null || request.documents().isEmpty()) {
            throw ProblemException.badRequest("documents", "at least one document is required");
        }
        if (request.documents().size() > MAX_DOCUMENTS) {
            throw ProblemException.badRequest("documents", "at most " + MAX_DOCUMENTS + " documents are accepted");
        }
        List<ContextPrompt.Document> docs = new ArrayList<>();
        for (int i = 0; i < request.documents().size(); i++) {
            ContextDocument d = request.documents().get(i);
            if (d == null || d.content() == null || d.content().isBlank()) {
                throw ProblemException.badRequest("documents[" + i + "].content", "document content is required");
            }
            if (d.source() != null && d.source().length() > MAX_SOURCE) {
                throw ProblemException.badRequest(
                        "documents[" + i + "].source", "source must be at most " + MAX_SOURCE + " characters");
            }
            docs.add(new ContextPrompt.Document(d.source(), d.content()));
        }
        ContextPrompt prompt = new ContextPrompt(request.instructions(), docs, request.question());
        // validated (bounds, options, routing) on the generic rendering; each provider tried gets its own layout
        GenerateRequest generic = new GenerateRequest(
                request.provider(),
                request.model(),
                List.of(
                        new ChatMessage("system", prompt.system("generic"), null, null, null),
                        new ChatMessage("user", prompt.user("generic"), null, null, null)),
                null,
                request.options(),
                request.agentId());
        return generate.generateWithContext(
                t, generic, prompt, CacheMode.of(cacheControl, cacheOptIn), GenerateResource.redact(redact));
    }
}
