package dev.devloop.provider.adapters.out.langchain.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.ToolSpec;
import dev.devloop.provider.adapters.out.langchain.GuardedChat;
import dev.devloop.provider.adapters.out.langchain.MessageMapper;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.support.CommonStubs;
import dev.devloop.provider.support.OpenAiStub;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking OpenAI call ({@link OpenAiHttpCall} behind {@link OpenAiChatProvider#chatAsync}) against WireMock
 * answering in OpenAI's chat-completions wire format: the request it sends is the one LangChain4j's
 * {@code OpenAiChatModel} sends (compared from WireMock's request journal), answers with tool calls, upstream errors
 * and a timeout. Each test stubs its own model name.
 */
@QuarkusTest
@WithTestResource(CommonStubs.class)
class OpenAiHttpCallTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/v1/chat/completions";

    @Inject
    OpenAiChatProvider provider;

    @Inject
    Vertx vertx;

    private static WireMockServer wm() {
        return OpenAiStub.server();
    }

    private static String model() {
        return "m-" + UUID.randomUUID();
    }

    private static void answer(String model, int status, String body, Map<String, String> headers) {
        var response = aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
        headers.forEach(response::withHeader);
        wm().stubFor(post(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                .willReturn(response));
    }

    private static String text(String model) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,"
                + "\"total_tokens\":4}}";
    }

    private static List<LoggedRequest> sent(String model) {
        return wm().findAll(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model))));
    }

    private static GenerateCommand command(String model, List<ChatMessage> messages, List<ToolSpec> tools) {
        return new GenerateCommand(
                "acme", "openai", model, messages, tools, new GenerateOptions(0.0, 64, 0.5, List.of("END")), null);
    }

    private static ProviderFailure failure(Throwable thrown) {
        Throwable t = thrown instanceof CompletionException ? thrown.getCause() : thrown;
        assertThat(t).isInstanceOf(ProviderFailure.class);
        return (ProviderFailure) t;
    }

    @Test
    void sendsTheBodyLangChain4jsOpenAiChatModelSends() throws Exception {
        String model = model();
        answer(model, 200, text(model), Map.of());
        JsonNode parameters = JSON.readTree("{\"type\":\"object\",\"properties\":{\"entity\":{\"type\":\"string\"},"
                + "\"ttlSeconds\":{\"type\":\"integer\"}},\"required\":[\"entity\"]}");
        List<ChatMessage> messages = List.of(
                new ChatMessage("system", "be brief", null, null, null),
                new ChatMessage("user", "store that svc-a is slow", null, null, null),
                new ChatMessage(
                        "assistant",
                        null,
                        List.of(new ToolCall("call_1", "store_fact", JSON.readTree("{\"entity\":\"svc-a\"}"))),
                        null,
                        null),
                new ChatMessage("tool", "stored", null, "call_1", null));
        List<ToolSpec> tools = List.of(new ToolSpec("store_fact", "Store a fact", parameters));
        ChatRequest request = ChatRequest.builder()
                .messages(MessageMapper.messages(messages))
                .toolSpecifications(MessageMapper.tools(tools))
                .modelName(model)
                .temperature(0.0)
                .topP(0.5)
                .maxOutputTokens(64)
                .stopSequences(List.of("END"))
                .build();
        OpenAiChatModel.builder()
                .baseUrl(wm().baseUrl() + "/v1")
                .apiKey(OpenAiStub.KEY)
                .modelName("gpt-4o-mini")
                .maxRetries(0)
                .returnThinking(true)
                .build()
                .chat(request);
        new OpenAiHttpCall(vertx, wm().baseUrl() + "/v1", OpenAiStub.KEY, "gpt-4o-mini", Duration.ofSeconds(2))
                .send(request, Map.of())
                .toCompletableFuture()
                .join();

        List<LoggedRequest> both = sent(model);
        assertThat(both).hasSize(2);
        // the journal lists the newest first: [wire call, LangChain4j]
        assertThat(JSON.readTree(both.get(0).getBodyAsString()))
                .isEqualTo(JSON.readTree(both.get(1).getBodyAsString()));
        assertThat(both.get(0).getHeader("Authorization")).isEqualTo("Bearer " + OpenAiStub.KEY);
    }

    @Test
    void readsToolCallsUsageAndTheFinishReason() {
        String model = model();
        answer(
                model,
                200,
                "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
                        + "-2024\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                        + "\"tool_calls\":[{\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":"
                        + "\"store_fact\",\"arguments\":\"{\\\"entity\\\":\\\"svc-a\\\"}\"}}]},\"finish_reason\":"
                        + "\"tool_calls\"}],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":20,"
                        + "\"total_tokens\":60}}",
                Map.of());
        ProviderAnswer answer = provider.chatAsync(
                        command(model, List.of(new ChatMessage("user", "hi", null, null, null)), List.of()), model)
                .toCompletableFuture()
                .join();
        assertThat(answer.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.toolCalls()).hasSize(1);
        assertThat(answer.toolCalls().get(0).id()).isEqualTo("call_9");
        assertThat(answer.toolCalls().get(0).name()).isEqualTo("store_fact");
        assertThat(answer.toolCalls().get(0).arguments().path("entity").asText())
                .isEqualTo("svc-a");
        assertThat(answer.usage().inputTokens()).isEqualTo(40);
        assertThat(answer.usage().outputTokens()).isEqualTo(20);
        assertThat(answer.model()).isEqualTo(model + "-2024");
    }

    @Test
    void keepsTheStatusAndRetryAfterOfAnUpstreamError() {
        String model = model();
        answer(
                model,
                429,
                "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_exceeded\"}}",
                Map.of("Retry-After", "7"));
        Throwable thrown = provider.chatAsync(
                        command(model, List.of(new ChatMessage("user", "hi", null, null, null)), List.of()), model)
                .handle((a, e) -> e)
                .toCompletableFuture()
                .join();
        ProviderFailure failure = failure(thrown);
        assertThat(failure.kind()).isEqualTo(ProviderFailure.Kind.RATE_LIMITED);
        assertThat(failure.retryAfter()).contains("7");
        assertThat(failure.getMessage()).contains("slow down");
    }

    @Test
    void aRequestTheUpstreamRejectsIsNotCountedAgainstTheProvider() {
        String model = model();
        answer(model, 400, "{\"error\":{\"message\":\"bad tools\",\"type\":\"invalid_request_error\"}}", Map.of());
        Throwable thrown = provider.chatAsync(
                        command(model, List.of(new ChatMessage("user", "hi", null, null, null)), List.of()), model)
                .handle((a, e) -> e)
                .toCompletableFuture()
                .join();
        assertThat(failure(thrown).kind()).isEqualTo(ProviderFailure.Kind.REQUEST_REJECTED);
        assertThat(failure(thrown).getMessage()).contains("bad tools");
    }

    @Test
    void anAnswerSlowerThanTheTimeoutIsUnreachable() {
        ProviderFailure failure = attempt(answerAfterThreeSeconds(), Duration.ofMillis(300), Duration.ofSeconds(150));
        assertThat(failure.kind()).isEqualTo(ProviderFailure.Kind.UNREACHABLE);
    }

    /** The backstop (SmallRye's timeout before the one guard per call) bounds an attempt the HTTP timeout lets run. */
    @Test
    void anAttemptLongerThanTheBackstopIsUnreachableAtTheGatewaysLimit() {
        ProviderFailure failure = attempt(answerAfterThreeSeconds(), Duration.ofSeconds(30), Duration.ofMillis(300));
        assertThat(failure.kind()).isEqualTo(ProviderFailure.Kind.UNREACHABLE);
        assertThat(failure.getMessage()).contains("did not answer within the gateway's time limit");
    }

    /** Stop 31: the backstop on a Vert.x timer (the provider's, not orTimeout's JDK delay thread) bounds an attempt. */
    @Test
    void anAttemptLongerThanTheBackstopOnAVertxTimerIsUnreachable() {
        String model = answerAfterThreeSeconds();
        OpenAiHttpCall call =
                new OpenAiHttpCall(vertx, wm().baseUrl() + "/v1", OpenAiStub.KEY, model, Duration.ofSeconds(30));
        ChatRequest request = hi(model);
        ProviderFailure failure = GuardedChat.runAsync(
                        "openai",
                        OpenAiChatProvider.KEY_SETTING,
                        () -> call.send(request, Map.of()),
                        Duration.ofSeconds(30),
                        Duration.ofMillis(300),
                        (millis, expire) -> {
                            long id = vertx.setTimer(millis, ignored -> expire.run());
                            return () -> vertx.cancelTimer(id);
                        })
                .handle((outcome, e) -> {
                    assertThat(outcome).isNull();
                    return failure(e);
                })
                .toCompletableFuture()
                .join();
        assertThat(failure.kind()).isEqualTo(ProviderFailure.Kind.UNREACHABLE);
        assertThat(failure.getMessage()).contains("did not answer within the gateway's time limit");
    }

    /** An answer before the backstop cancels its timer: none is left to fire for a finished call. */
    @Test
    void anAnswerBeforeTheBackstopCancelsItsTimer() {
        String model = model();
        answer(model, 200, text(model), Map.of());
        OpenAiHttpCall call =
                new OpenAiHttpCall(vertx, wm().baseUrl() + "/v1", OpenAiStub.KEY, model, Duration.ofSeconds(30));
        ChatRequest request = hi(model);
        java.util.concurrent.atomic.AtomicLong timer = new java.util.concurrent.atomic.AtomicLong(-1);
        GuardedChat.Outcome outcome = GuardedChat.runAsync(
                        "openai",
                        OpenAiChatProvider.KEY_SETTING,
                        () -> call.send(request, Map.of()),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(150),
                        (millis, expire) -> {
                            long id = vertx.setTimer(millis, ignored -> expire.run());
                            timer.set(id);
                            return () -> vertx.cancelTimer(id);
                        })
                .toCompletableFuture()
                .join();
        assertThat(outcome.response().aiMessage().text()).isNotBlank();
        assertThat(timer.get()).isNotNegative();
        assertThat(vertx.cancelTimer(timer.get())).isFalse(); // already cancelled by the answer
    }

    /** One guarded wire call to {@code model} with these bounds, which must fail: its failure. */
    private ProviderFailure attempt(String model, Duration httpTimeout, Duration backstop) {
        OpenAiHttpCall call = new OpenAiHttpCall(vertx, wm().baseUrl() + "/v1", OpenAiStub.KEY, model, httpTimeout);
        ChatRequest request = hi(model);
        return GuardedChat.runAsync(
                        "openai",
                        OpenAiChatProvider.KEY_SETTING,
                        () -> call.send(request, Map.of()),
                        httpTimeout,
                        backstop)
                .handle((outcome, e) -> {
                    assertThat(outcome).isNull();
                    return failure(e);
                })
                .toCompletableFuture()
                .join();
    }

    /** A fresh model whose answer comes after 3 s. */
    private String answerAfterThreeSeconds() {
        String model = model();
        wm().stubFor(post(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(text(model))
                        .withFixedDelay(3000)));
        return model;
    }

    private static ChatRequest hi(String model) {
        return ChatRequest.builder()
                .messages(MessageMapper.messages(List.of(new ChatMessage("user", "hi", null, null, null))))
                .modelName(model)
                .build();
    }
}
