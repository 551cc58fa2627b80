package dev.devloop.provider.adapters.in.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devloop.contracts.identity.Caller;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Problem;
import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.Stages;
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * OpenAI-compatible API: {@code POST /v1/chat/completions} (JSON or, with {@code stream: true},
 * server-sent {@code chat.completion.chunk} events ending in {@code [DONE]}) and {@code GET /v1/models}.
 */
@Tag(name = "OpenAI-compatible", description = "OpenAI's chat, embeddings and models API; errors in OpenAI's shape")
@Path("/v1")
public class ChatCompletionsResource {
    private static final Logger LOG = Logger.getLogger(ChatCompletionsResource.class);

    private static final String SSE = "text/event-stream";

    private final GenerateUseCase generate;
    private final ListProvidersUseCase providers;
    private final Duration idleTimeout;
    private final int bufferCapacity;
    private final Caller caller;

    public ChatCompletionsResource(
            GenerateUseCase generate, ListProvidersUseCase providers, ProviderConfig config, Caller caller) {
        this.generate = generate;
        this.caller = caller;
        this.providers = providers;
        this.idleTimeout = config.limits().streamIdleTimeout();
        this.bufferCapacity = config.limits().maxStreamBuffer();
    }

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, SSE})
    @APIResponse(
            responseCode = "429",
            description = "The tenant's monthly budget is spent (insufficient_quota)",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = OpenAiErrors.Body.class)),
                @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))
            })
    @Operation(summary = "Chat completion, OpenAI-compatible (JSON, or server-sent chunks with stream: true)")
    @Blocking // validation, the cache lookup and the stream relay may block; the provider's answer is not waited for
    public Uni<Response> completions(
            @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl,
            @HeaderParam(GenerateResource.CACHE_OPT_IN) String cacheOptIn,
            @HeaderParam(GenerateResource.REDACT) String redactHeader,
            ChatCompletionRequest body)
            throws InterruptedException {
        String tenant = caller.tenant();
        GenerateRequest request = OpenAiWire.toRequest(body);
        boolean redact = GenerateResource.redact(redactHeader);
        // a unique id, not a secret: ThreadLocalRandom, not UUID.randomUUID's SecureRandom (one lock shared by every
        // worker)
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String id = "chatcmpl-" + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
        long created = Instant.now().getEpochSecond();
        if (!body.streaming()) {
            var answer = generate.generateAsync(tenant, request, CacheMode.of(cacheControl, cacheOptIn), redact);
            // what may block is done: the answer is mapped and written on the event loop it arrives on
            AnswerOnEventLoop.afterThis();
            return Uni.createFrom()
                    .completionStage(answer)
                    .onFailure(CompletionException.class)
                    .transform(Stages::cause)
                    .map(response -> InjectionHeaders.add(
                                    Response.ok(
                                            OpenAiWire.completion(id, created, response)
                                                    .toString(),
                                            MediaType.APPLICATION_JSON),
                                    response.injection())
                            .build());
        }
        StreamBuffer buffer = new StreamBuffer(bufferCapacity);
        generate.stream(tenant, request, redact, buffer);
        StreamBuffer.Event first = buffer.next(idleTimeout);
        if (first.failure() != null) {
            throw first.failure();
        }
        boolean includeUsage = body.includeUsage();
        StreamingOutput output = out -> writeStream(out, buffer, first, id, created, request.model(), includeUsage);
        return Uni.createFrom()
                .item(InjectionHeaders.add(
                                Response.ok(output, SSE)
                                        .header("Cache-Control", "no-cache")
                                        .header("X-Accel-Buffering", "no"),
                                buffer.screening())
                        .build());
    }

    private void writeStream(
            OutputStream out,
            StreamBuffer buffer,
            StreamBuffer.Event first,
            String id,
            long created,
            String model,
            boolean includeUsage)
            throws IOException {
        ObjectNode role = OpenAiWire.JSON.createObjectNode();
        role.put("role", "assistant");
        role.put("content", "");
        send(out, OpenAiWire.chunk(id, created, model, role, null).toString());
        StreamBuffer.Event event = first;
        boolean reasoned = false;
        try {
            while (true) {
                if (event.text() != null) {
                    ObjectNode delta = OpenAiWire.JSON.createObjectNode();
                    delta.put("content", event.text());
                    send(out, OpenAiWire.chunk(id, created, model, delta, null).toString());
                } else if (event.reasoning() != null) {
                    // DeepSeek/vLLM style: reasoning travels as delta.reasoning_content, never in content
                    reasoned = true;
                    ObjectNode delta = OpenAiWire.JSON.createObjectNode();
                    delta.put("reasoning_content", event.reasoning());
                    send(out, OpenAiWire.chunk(id, created, model, delta, null).toString());
                } else if (event.done() != null) {
                    finish(out, event.done(), id, created, includeUsage, reasoned);
                    return;
                } else {
                    ProviderFailure f = event.failure();
                    dev.devloop.contracts.problem.Problem p = ProviderFailureMapper.problem(f);
                    ObjectNode error = OpenAiErrors.error(
                            p.status(),
                            p.type().substring(dev.devloop.contracts.problem.Problem.TYPE_BASE.length()),
                            f.getMessage(),
                            null);
                    send(out, error.toString());
                    send(out, "[DONE]");
                    return;
                }
                event = buffer.next(idleTimeout);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            LogFields.of("completionId", id).warn(LOG, "chat stream interrupted");
        }
    }

    /** The closing chunks; the reasoning goes out whole here when no delta carried it (a redacted call). */
    private static void finish(
            OutputStream out, GenerateResponse r, String id, long created, boolean includeUsage, boolean reasoned)
            throws IOException {
        if (!reasoned && r.reasoning() != null) {
            ObjectNode delta = OpenAiWire.JSON.createObjectNode();
            delta.put("reasoning_content", r.reasoning());
            send(out, OpenAiWire.chunk(id, created, r.model(), delta, null).toString());
        }
        if (r.wantsTools()) {
            ObjectNode delta = OpenAiWire.JSON.createObjectNode();
            ArrayNode calls = delta.putArray("tool_calls");
            OpenAiWire.toolCalls(calls, r.toolCalls(), true);
            send(out, OpenAiWire.chunk(id, created, r.model(), delta, null).toString());
        }
        send(
                out,
                OpenAiWire.chunk(
                                id,
                                created,
                                r.model(),
                                OpenAiWire.JSON.createObjectNode(),
                                OpenAiWire.finishReason(r.finishReason()))
                        .toString());
        if (includeUsage) {
            ObjectNode usage = OpenAiWire.chunk(id, created, r.model(), null, null);
            OpenAiWire.usage(usage, r.usage());
            send(out, usage.toString());
        }
        send(out, "[DONE]");
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @GET
    @Path("/models")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The models and aliases, OpenAI-compatible")
    public String models() {
        caller.tenant(); // a tenant-less call is refused like every other route
        ObjectNode root = OpenAiWire.JSON.createObjectNode();
        root.put("object", "list");
        root.set("data", modelList());
        return root.toString();
    }

    /** {@code GET /v1/models/{model}} (OpenAI's retrieve): one model or alias, else 404 {@code model_not_found}. */
    @GET
    @Path("/models/{model: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(
            responseCode = "404",
            description = "No model or alias of that name (model_not_found)",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = OpenAiErrors.Body.class)),
                @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))
            })
    @Operation(summary = "One model or alias, OpenAI-compatible")
    public String model(@jakarta.ws.rs.PathParam("model") String model) {
        caller.tenant(); // a tenant-less call is refused like every other route
        for (com.fasterxml.jackson.databind.JsonNode m : modelList()) {
            if (m.path("id").asText().equals(model)) {
                return m.toString();
            }
        }
        String shown = model.length() > 200 ? model.substring(0, 200) + "…" : model;
        throw new dev.devloop.contracts.problem.ProblemException(new dev.devloop.contracts.problem.Problem(
                dev.devloop.contracts.problem.Problem.TYPE_BASE + "model-not-found",
                "Model not found",
                404,
                "the model '" + shown + "' does not exist here; GET /v1/models lists the models and aliases",
                null,
                "model",
                null));
    }

    private ArrayNode modelList() {
        ArrayNode data = OpenAiWire.JSON.createArrayNode();
        for (ProviderView p : providers.providers()) {
            if (!p.configured()) {
                continue;
            }
            for (String model : p.models()) {
                ObjectNode m = data.addObject();
                m.put("id", p.defaultProvider() ? model : p.name() + "/" + model);
                m.put("object", "model");
                m.put("created", 0);
                m.put("owned_by", p.name());
            }
        }
        providers.aliases().forEach((alias, routes) -> {
            ObjectNode m = data.addObject();
            m.put("id", alias);
            m.put("object", "model");
            m.put("created", 0);
            m.put("owned_by", "devloop");
            ArrayNode chain = m.putArray("fallback_chain");
            routes.forEach(r -> chain.add(r.toString()));
        });
        return data;
    }
}
