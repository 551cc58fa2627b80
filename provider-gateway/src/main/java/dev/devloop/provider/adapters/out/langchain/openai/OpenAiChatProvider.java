package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.GuardedChat;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.Stages;
import dev.devloop.provider.ports.out.CircuitPolicy;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.langchain4j.model.chat.request.ChatRequest;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The built-in {@code openai} provider: OpenAI, or one OpenAI-compatible server by base URL
 * ({@code devloop.provider.openai.*}); further servers are named instances
 * ({@code devloop.provider.instances.*}, {@link OpenAiInstances}). Non-streamed chat goes over {@link OpenAiHttpCall}
 * (no thread waits for the answer); its circuit ({@link OpenAiCalls}) runs in the caller's one guard per call, with the
 * bulkhead and retries. Streams stay on LangChain4j's streaming model.
 */
@Singleton
public class OpenAiChatProvider extends OpenAiCompatibleChatProvider {
    public static final String NAME = "openai";
    public static final String KEY_SETTING = "DEVLOOP_OPENAI_API_KEY";
    private static final String KEYLESS = "not-needed";

    private final Optional<CircuitPolicy> circuit;
    private final Duration backstop;
    private final Vertx vertx;
    private final OpenTelemetry telemetry;
    private volatile OpenAiHttpCall http;

    @Inject
    public OpenAiChatProvider(
            ProviderConfig config,
            OpenAiCalls calls,
            CircuitBreakerMaintenance circuits,
            Vertx vertx,
            Instance<OpenTelemetry> telemetry) {
        this(
                endpoint(config.openai()),
                Optional.of(calls.circuit()),
                calls.backstop(),
                circuits,
                vertx,
                telemetry.isResolvable() ? telemetry.get() : OpenTelemetry.noop());
    }

    private OpenAiChatProvider(
            LangChainChatProvider.Endpoint endpoint,
            Optional<CircuitPolicy> circuit,
            Duration backstop,
            CircuitBreakerMaintenance circuits,
            Vertx vertx,
            OpenTelemetry telemetry) {
        super(
                NAME,
                endpoint,
                null, // the blocking LangChain4j call is never made: chat() runs the wire call
                circuits,
                circuit.map(CircuitPolicy::delay).orElse(Duration.ZERO), // no circuit (warm-up): never open
                KEY_SETTING,
                endpoint.apiKey().isPresent()
                        || endpoint.baseUrl()
                                .filter(u -> !u.equals(DEFAULT_BASE_URL))
                                .isPresent(),
                "provider openai is not configured: set DEVLOOP_OPENAI_API_KEY (devloop.provider.openai.api-key), "
                        + "or DEVLOOP_OPENAI_BASE_URL (devloop.provider.openai.base-url) for an OpenAI-compatible server");
        this.circuit = circuit;
        this.backstop = backstop;
        this.vertx = vertx;
        this.telemetry = telemetry;
    }

    /** The provider as the start-up warm-up runs it against its loopback stub: the same call, no circuit. */
    public static OpenAiChatProvider unguarded(
            LangChainChatProvider.Endpoint endpoint, CircuitBreakerMaintenance circuits, Vertx vertx) {
        return new OpenAiChatProvider(
                endpoint, Optional.empty(), Duration.ofSeconds(150), circuits, vertx, OpenTelemetry.noop());
    }

    private static LangChainChatProvider.Endpoint endpoint(ProviderConfig.OpenAi c) {
        return new LangChainChatProvider.Endpoint(
                c.apiKey(), c.baseUrl(), c.model(), c.models().orElse(List.of()), c.timeout(), c.logBodies());
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    /** The circuit {@code openai}: run by the caller's guard of this provider, with its bulkhead and retries. */
    @Override
    public Optional<CircuitPolicy> circuit() {
        return circuit;
    }

    /** The blocking form (for {@code /v1/generate}): the same wire call, waited for on the caller's thread. */
    @Override
    public ProviderAnswer chat(GenerateCommand command, String modelName) {
        try {
            return chatAsync(command, modelName).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (Stages.cause(e) instanceof RuntimeException cause) {
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
            guarded = GuardedChat.runAsync(
                    NAME,
                    KEY_SETTING,
                    () -> call.send(request, trace),
                    endpoint().timeout(),
                    backstop,
                    this::backstopTimer);
        } catch (RuntimeException e) {
            guarded = CompletableFuture.failedFuture(e);
        }
        guarded.whenComplete((outcome, error) -> {
            try {
                if (error != null) {
                    answer.completeExceptionally(guardFailure(Stages.cause(error)));
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

    /** The backstop on a Vert.x timer: set on the call's context, cancelled by its answer on the same event loop. */
    private Runnable backstopTimer(long millis, Runnable expire) {
        long id = vertx.setTimer(millis, ignored -> expire.run());
        return () -> vertx.cancelTimer(id);
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
