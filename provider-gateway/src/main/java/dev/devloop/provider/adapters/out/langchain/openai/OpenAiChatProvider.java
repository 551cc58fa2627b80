package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.GuardedChat;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;

/**
 * The built-in {@code openai} provider: OpenAI, or one OpenAI-compatible server by base URL
 * ({@code devloop.provider.openai.*}); further servers are named instances
 * ({@code devloop.provider.instances.*}, {@link OpenAiInstances}). Non-streamed chat goes over {@link OpenAiHttpCall}
 * (no thread waits for the answer), guarded by {@link OpenAiCalls}; streams stay on LangChain4j's streaming model.
 */
@Singleton
public class OpenAiChatProvider extends OpenAiCompatibleChatProvider {
    public static final String NAME = "openai";
    public static final String KEY_SETTING = "DEVLOOP_OPENAI_API_KEY";
    private static final String KEYLESS = "not-needed";

    private final AsyncGuard calls;
    private final Vertx vertx;
    private final OpenTelemetry telemetry;
    private volatile OpenAiHttpCall http;

    @Inject
    public OpenAiChatProvider(
            ProviderConfig config,
            OpenAiCalls calls,
            CircuitBreakerMaintenance circuits,
            Config mpConfig,
            Vertx vertx,
            Instance<OpenTelemetry> telemetry) {
        this(
                endpoint(config.openai()),
                calls::chat,
                circuits,
                LangChainChatProvider.circuitDelaySeconds(
                        mpConfig, OpenAiCalls.class, OpenAiCalls.CIRCUIT_DELAY_SECONDS),
                vertx,
                telemetry.isResolvable() ? telemetry.get() : OpenTelemetry.noop());
    }

    private OpenAiChatProvider(
            LangChainChatProvider.Endpoint endpoint,
            AsyncGuard calls,
            CircuitBreakerMaintenance circuits,
            long circuitDelaySeconds,
            Vertx vertx,
            OpenTelemetry telemetry) {
        super(
                NAME,
                endpoint,
                null, // the blocking LangChain4j call is never made: chat() runs the wire call
                circuits,
                circuitDelaySeconds,
                KEY_SETTING,
                endpoint.apiKey().isPresent()
                        || endpoint.baseUrl()
                                .filter(u -> !u.equals(DEFAULT_BASE_URL))
                                .isPresent(),
                "provider openai is not configured: set DEVLOOP_OPENAI_API_KEY (devloop.provider.openai.api-key), "
                        + "or DEVLOOP_OPENAI_BASE_URL (devloop.provider.openai.base-url) for an OpenAI-compatible server");
        this.calls = calls;
        this.vertx = vertx;
        this.telemetry = telemetry;
    }

    /** The provider as the start-up warm-up runs it against its loopback stub: the same call, no circuit. */
    public static OpenAiChatProvider unguarded(
            LangChainChatProvider.Endpoint endpoint, CircuitBreakerMaintenance circuits, Vertx vertx) {
        return new OpenAiChatProvider(
                endpoint,
                (call, timeout) -> GuardedChat.runAsync(NAME, KEY_SETTING, call, timeout),
                circuits,
                1,
                vertx,
                OpenTelemetry.noop());
    }

    /** A guard around a call that answers later ({@link OpenAiCalls#chat}: backstop timeout and circuit). */
    @FunctionalInterface
    interface AsyncGuard {
        CompletionStage<GuardedChat.Outcome> chat(Supplier<CompletionStage<ChatResponse>> call, Duration httpTimeout);
    }

    private static LangChainChatProvider.Endpoint endpoint(ProviderConfig.OpenAi c) {
        return new LangChainChatProvider.Endpoint(
                c.apiKey(), c.baseUrl(), c.model(), c.models().orElse(List.of()), c.timeout(), c.logBodies());
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    /** The blocking form (for {@code /v1/generate}): the same wire call, waited for on the caller's thread. */
    @Override
    public ProviderAnswer chat(GenerateCommand command, String modelName) {
        try {
            return chatAsync(command, modelName).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public CompletionStage<ProviderAnswer> chatAsync(GenerateCommand command, String modelName) {
        CompletableFuture<ProviderAnswer> answer = new CompletableFuture<>();
        CompletionStage<GuardedChat.Outcome> guarded;
        try {
            ChatRequest request = request(command, modelName);
            Map<String, String> trace = traceHeaders(); // read here: a retry runs on SmallRye's timer thread
            OpenAiHttpCall call = http();
            guarded = calls.chat(() -> call.send(request, trace), endpoint().timeout());
        } catch (RuntimeException e) {
            guarded = CompletableFuture.failedFuture(e);
        }
        guarded.whenComplete((outcome, error) -> {
            try {
                if (error != null) {
                    Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    answer.completeExceptionally(guardFailure(cause));
                } else if (outcome.rejected() != null) {
                    answer.completeExceptionally(outcome.rejected());
                } else {
                    answer.complete(answer(outcome.response()));
                }
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** The caller's trace context (W3C {@code traceparent}), so the provider call joins the request's trace. */
    private Map<String, String> traceHeaders() {
        Map<String, String> headers = new HashMap<>(2);
        telemetry.getPropagators().getTextMapPropagator().inject(Context.current(), headers, Map::put);
        return headers;
    }

    private OpenAiHttpCall http() {
        OpenAiHttpCall current = http;
        if (current == null) {
            synchronized (this) {
                current = http;
                if (current == null) {
                    current = new OpenAiHttpCall(
                            vertx,
                            effectiveBaseUrl(),
                            endpoint().apiKey().orElse(KEYLESS),
                            endpoint().model(),
                            endpoint().timeout(),
                            endpoint().logBodies());
                    logReady();
                    http = current;
                }
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        OpenAiHttpCall current = http;
        if (current != null) {
            current.close();
        }
    }
}
