package dev.devloop.provider.adapters.out.langchain.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.provider.adapters.out.langchain.UpstreamHttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.internal.OpenAiUtils;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * One OpenAI(-compatible) {@code POST /chat/completions} without a thread per call. The body is built and the answer
 * read by LangChain4j's own OpenAI mapping ({@link OpenAiUtils}, the code its {@code OpenAiChatModel} runs), so the
 * wire format is the blocking path's; only the transport differs: a pooled keep-alive Vert.x {@link WebClient} whose
 * answer completes a stage on the event loop. Before, each non-streamed call parked a worker thread on LangChain4j's
 * blocking call (237 threads at 200 connections, JFR 2026-12-05). A non-2xx answer fails the stage with an
 * {@link UpstreamHttpException} (status, {@code Retry-After}, body), as {@code UpstreamStatusFilter} does for the
 * blocking client.
 */
/*
 * Jackson binds LangChain4j's OpenAI wire types (and their builders) here: registered for a native image, where
 * reflection needs it (quarkus-langchain4j registers them for its own client too; this does not rely on it).
 */
@RegisterForReflection(
        classNames = {
            "dev.langchain4j.model.openai.internal.chat.AssistantMessage",
            "dev.langchain4j.model.openai.internal.chat.AssistantMessage$Builder",
            "dev.langchain4j.model.openai.internal.chat.ChatCompletionChoice",
            "dev.langchain4j.model.openai.internal.chat.ChatCompletionChoice$Builder",
            "dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest",
            "dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest$Builder",
            "dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse",
            "dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse$Builder",
            "dev.langchain4j.model.openai.internal.chat.Content",
            "dev.langchain4j.model.openai.internal.chat.Content$Builder",
            "dev.langchain4j.model.openai.internal.chat.ContentType",
            "dev.langchain4j.model.openai.internal.chat.Delta",
            "dev.langchain4j.model.openai.internal.chat.Delta$Builder",
            "dev.langchain4j.model.openai.internal.chat.Function",
            "dev.langchain4j.model.openai.internal.chat.Function$Builder",
            "dev.langchain4j.model.openai.internal.chat.FunctionCall",
            "dev.langchain4j.model.openai.internal.chat.FunctionCall$Builder",
            "dev.langchain4j.model.openai.internal.chat.FunctionMessage",
            "dev.langchain4j.model.openai.internal.chat.FunctionMessage$Builder",
            "dev.langchain4j.model.openai.internal.chat.ImageDetail",
            "dev.langchain4j.model.openai.internal.chat.ImageUrl",
            "dev.langchain4j.model.openai.internal.chat.ImageUrl$Builder",
            "dev.langchain4j.model.openai.internal.chat.InputAudio",
            "dev.langchain4j.model.openai.internal.chat.InputAudio$Builder",
            "dev.langchain4j.model.openai.internal.chat.JsonSchema",
            "dev.langchain4j.model.openai.internal.chat.JsonSchema$Builder",
            "dev.langchain4j.model.openai.internal.chat.LogProb",
            "dev.langchain4j.model.openai.internal.chat.LogProb$Builder",
            "dev.langchain4j.model.openai.internal.chat.LogProbs",
            "dev.langchain4j.model.openai.internal.chat.LogProbs$Builder",
            "dev.langchain4j.model.openai.internal.chat.Message",
            "dev.langchain4j.model.openai.internal.chat.PdfFile",
            "dev.langchain4j.model.openai.internal.chat.PdfFile$Builder",
            "dev.langchain4j.model.openai.internal.chat.ResponseFormat",
            "dev.langchain4j.model.openai.internal.chat.ResponseFormat$Builder",
            "dev.langchain4j.model.openai.internal.chat.ResponseFormatType",
            "dev.langchain4j.model.openai.internal.chat.Role",
            "dev.langchain4j.model.openai.internal.chat.SystemMessage",
            "dev.langchain4j.model.openai.internal.chat.SystemMessage$Builder",
            "dev.langchain4j.model.openai.internal.chat.Tool",
            "dev.langchain4j.model.openai.internal.chat.Tool$Builder",
            "dev.langchain4j.model.openai.internal.chat.ToolCall",
            "dev.langchain4j.model.openai.internal.chat.ToolCall$Builder",
            "dev.langchain4j.model.openai.internal.chat.ToolChoice",
            "dev.langchain4j.model.openai.internal.chat.ToolChoice$Builder",
            "dev.langchain4j.model.openai.internal.chat.ToolChoiceMode",
            "dev.langchain4j.model.openai.internal.chat.ToolMessage",
            "dev.langchain4j.model.openai.internal.chat.ToolMessage$Builder",
            "dev.langchain4j.model.openai.internal.chat.ToolType",
            "dev.langchain4j.model.openai.internal.chat.UserMessage",
            "dev.langchain4j.model.openai.internal.chat.UserMessage$Builder",
            "dev.langchain4j.model.openai.internal.chat.VideoUrl",
            "dev.langchain4j.model.openai.internal.chat.VideoUrl$Builder",
            "dev.langchain4j.model.openai.internal.shared.CompletionTokensDetails",
            "dev.langchain4j.model.openai.internal.shared.CompletionTokensDetails$Builder",
            "dev.langchain4j.model.openai.internal.shared.PromptTokensDetails",
            "dev.langchain4j.model.openai.internal.shared.PromptTokensDetails$Builder",
            "dev.langchain4j.model.openai.internal.shared.StreamOptions",
            "dev.langchain4j.model.openai.internal.shared.StreamOptions$Builder",
            "dev.langchain4j.model.openai.internal.shared.Usage",
            "dev.langchain4j.model.openai.internal.shared.Usage$Builder"
        })
final class OpenAiHttpCall {
    /** LangChain4j's request/response types carry their own Jackson annotations (snake case, non-null). */
    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Logger LOG = Logger.getLogger(OpenAiHttpCall.class);
    private static final int MAX_ERROR_BODY = 8192;
    /** Connections kept per upstream: enough for the bulkhead's default and the bench's 200 connections. */
    static final int POOL_SIZE = 256;

    private final WebClient client;
    private final String url;
    private final String authorization;
    private final String defaultModel;
    private final long timeoutMillis;
    private final boolean logBodies;

    OpenAiHttpCall(Vertx vertx, String baseUrl, String apiKey, String defaultModel, Duration timeout) {
        this(vertx, baseUrl, apiKey, defaultModel, timeout, false);
    }

    /** {@code logBodies}: request and answer bodies at INFO, as LangChain4j's {@code logRequests/logResponses}. */
    OpenAiHttpCall(
            Vertx vertx, String baseUrl, String apiKey, String defaultModel, Duration timeout, boolean logBodies) {
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setMaxPoolSize(POOL_SIZE)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                        .setUserAgent("devloop-provider-gateway"));
        this.url = baseUrl + "/chat/completions";
        this.authorization = "Bearer " + apiKey;
        this.defaultModel = defaultModel;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
        this.logBodies = logBodies;
    }

    /** The request body LangChain4j's {@code OpenAiChatModel} would send for {@code request} (tests diff the two). */
    String body(ChatRequest request) throws JsonProcessingException {
        OpenAiChatRequestParameters parameters = OpenAiChatRequestParameters.builder()
                .modelName(defaultModel)
                .build()
                .overrideWith(request.parameters());
        OpenAiUtils.validate(parameters);
        ChatRequest merged = ChatRequest.builder()
                .messages(request.messages())
                .parameters(parameters)
                .build();
        return JSON.writeValueAsString(OpenAiUtils.toOpenAiChatRequest(merged, parameters, false, null, false, false)
                .build());
    }

    /** Sends {@code request}; {@code headers} go along (trace context). Never throws: failures fail the stage. */
    CompletionStage<ChatResponse> send(ChatRequest request, Map<String, String> headers) {
        CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
        Buffer body;
        try {
            String json = body(request);
            if (logBodies) {
                LOG.infof("OpenAI request to %s: %s", url, json); // never the Authorization header
            }
            body = Buffer.buffer(json);
        } catch (JsonProcessingException | RuntimeException e) {
            answer.completeExceptionally(e);
            return answer;
        }
        HttpRequest<Buffer> post = client.postAbs(url)
                .timeout(timeoutMillis)
                .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
                .putHeader(HttpHeaders.ACCEPT.toString(), "application/json")
                .putHeader(HttpHeaders.AUTHORIZATION.toString(), authorization);
        headers.forEach(post::putHeader);
        post.sendBuffer(body).onComplete(result -> {
            if (result.failed()) {
                answer.completeExceptionally(result.cause());
                return;
            }
            try {
                if (logBodies) {
                    LOG.infof(
                            "OpenAI answer %d: %s",
                            result.result().statusCode(), result.result().bodyAsString());
                }
                answer.complete(parse(result.result()));
            } catch (RuntimeException | IOException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private static ChatResponse parse(HttpResponse<Buffer> response) throws IOException {
        Buffer raw = response.body();
        if (response.statusCode() >= 400) {
            String text = raw == null ? "" : raw.toString(StandardCharsets.UTF_8);
            throw new UpstreamHttpException(
                    response.statusCode(),
                    response.getHeader("Retry-After"),
                    text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) : text);
        }
        ChatCompletionResponse parsed =
                JSON.readValue(raw == null ? new byte[0] : raw.getBytes(), ChatCompletionResponse.class);
        if (parsed.choices() == null || parsed.choices().isEmpty()) {
            // what OpenAiChatModel throws for the same answer, so it is classified the same way
            throw new InternalServerException("Chat completion failed: no choices returned in response");
        }
        OpenAiChatResponseMetadata metadata = OpenAiChatResponseMetadata.builder()
                .id(parsed.id())
                .modelName(parsed.model())
                .tokenUsage(OpenAiUtils.tokenUsageFrom(parsed.usage()))
                .finishReason(
                        OpenAiUtils.finishReasonFrom(parsed.choices().get(0).finishReason()))
                .created(parsed.created())
                .serviceTier(parsed.serviceTier())
                .systemFingerprint(parsed.systemFingerprint())
                .build();
        return ChatResponse.builder()
                .aiMessage(OpenAiUtils.aiMessageFrom(parsed, true))
                .metadata(metadata)
                .build();
    }

    void close() {
        client.close();
    }
}
