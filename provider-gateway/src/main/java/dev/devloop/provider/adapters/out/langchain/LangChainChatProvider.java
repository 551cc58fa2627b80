package dev.devloop.provider.adapters.out.langchain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.CircuitPolicy;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.StreamListener;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * A provider reached through a LangChain4j chat model (OpenAI, Anthropic, Gemini): maps the
 * normalised request to a {@link ChatRequest}, runs it through the provider's guarded call, and
 * maps the answer back (tool-call arguments parsed to JSON objects, finish reasons normalised).
 * Models are built lazily, so the service boots without keys.
 */
public abstract class LangChainChatProvider implements ChatProviderPort {
    private static final Logger LOG = Logger.getLogger(LangChainChatProvider.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one provider is configured with; the key is never logged. */
    public record Endpoint(
            Optional<String> apiKey,
            Optional<String> baseUrl,
            String model,
            List<String> models,
            Duration timeout,
            boolean logBodies) {

        public Endpoint {
            apiKey = apiKey.filter(k -> !k.isBlank());
            baseUrl = baseUrl.filter(u -> !u.isBlank()).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        }
    }

    private final String name;
    private final Endpoint endpoint;
    private final String keySetting;
    private final GuardedChat guard;
    private final String circuit;
    private final CircuitBreakerMaintenance circuits;
    private final String circuitRetryAfter;
    private final Lazy<ChatModel> model = new Lazy<>(this::buildModel, this::logReady);
    private final Lazy<StreamingChatModel> streamingModel = new Lazy<>(this::buildStreamingModel, () -> {});
    private final Lazy<ChatModel> thinkingModel = new Lazy<>(this::buildThinkingModel, () -> {});
    private final Lazy<StreamingChatModel> thinkingStreamingModel =
            new Lazy<>(this::buildThinkingStreamingModel, () -> {});

    /**
     * A built-in provider whose guard is a {@code *Calls} bean ({@code guardClass}) with an annotated circuit breaker.
     *
     * @param keySetting the setting that holds the key, named in messages
     */
    protected LangChainChatProvider(
            String name,
            CircuitBreakerMaintenance circuits,
            Config mpConfig,
            Class<?> guardClass,
            long defaultCircuitDelaySeconds,
            Endpoint endpoint,
            String keySetting,
            GuardedChat guard) {
        this(
                name,
                circuits,
                new GuardKeys(mpConfig, guardClass).circuitDelay(defaultCircuitDelaySeconds),
                endpoint,
                keySetting,
                guard);
    }

    /** A provider whose circuit (named like the provider) stays open {@code circuitDelay} before trial calls. */
    protected LangChainChatProvider(
            String name,
            CircuitBreakerMaintenance circuits,
            Duration circuitDelay,
            Endpoint endpoint,
            String keySetting,
            GuardedChat guard) {
        this.name = name;
        this.endpoint = endpoint;
        this.keySetting = keySetting;
        this.guard = guard;
        this.circuit = name;
        this.circuits = circuits;
        this.circuitRetryAfter = CircuitPolicy.retryAfterSeconds(circuitDelay);
    }

    /** This provider's settings. */
    protected final Endpoint endpoint() {
        return endpoint;
    }

    /** The name of the environment variable holding the key, for messages. */
    protected final String keySetting() {
        return keySetting;
    }

    /** The guarded call of this provider (its own circuit breaker). */
    protected final GuardedChat guard() {
        return guard;
    }

    protected abstract ChatModel buildModel();

    protected abstract StreamingChatModel buildStreamingModel();

    /**
     * Whether this request goes to the thinking models ({@link #buildThinkingModel()}); providers whose thinking is
     * fixed when the model is built and must be left off for some requests (Anthropic) override it.
     */
    protected boolean thinking(GenerateCommand command) {
        return false;
    }

    protected ChatModel buildThinkingModel() {
        return buildModel();
    }

    protected StreamingChatModel buildThinkingStreamingModel() {
        return buildStreamingModel();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String defaultModel() {
        return endpoint().model();
    }

    @Override
    public List<String> models() {
        List<String> models = new ArrayList<>();
        models.add(endpoint().model());
        endpoint().models().stream().filter(m -> !models.contains(m)).forEach(models::add);
        return List.copyOf(models);
    }

    @Override
    public String circuitState() {
        try {
            return circuits.currentState(circuit).name().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "closed"; // a programmatic circuit that has not seen a call yet
        }
    }

    @Override
    public void resetCircuit() {
        try {
            circuits.reset(circuit);
        } catch (IllegalArgumentException e) {
            // a programmatic circuit that has not seen a call yet: nothing to reset
        }
    }

    @Override
    public ProviderAnswer chat(GenerateCommand command, String modelName) {
        GuardedChat.Outcome outcome;
        try {
            ChatModel chosen = thinking(command) ? thinkingModel.get() : model.get();
            outcome =
                    guard().chat(chosen, request(command, modelName), endpoint().timeout());
        } catch (CircuitBreakerOpenException | TimeoutException e) {
            throw guardFailure(e);
        }
        if (outcome.rejected() != null) {
            throw outcome.rejected();
        }
        return answer(outcome.response());
    }

    /** What a failed guarded call means: an open circuit, the backstop timeout, or the classified upstream failure. */
    protected final ProviderFailure guardFailure(Throwable e) {
        if (e instanceof ProviderFailure failure) {
            return failure;
        }
        if (e instanceof CircuitBreakerOpenException) {
            return new ProviderFailure(
                    ProviderFailure.Kind.CIRCUIT_OPEN,
                    name,
                    "provider " + name + " failed repeatedly; its circuit is open and calls resume after a pause",
                    circuitRetryAfter,
                    e);
        }
        if (e instanceof TimeoutException) {
            return new ProviderFailure(
                    ProviderFailure.Kind.UNREACHABLE,
                    name,
                    "provider " + name + " did not answer within the gateway's time limit",
                    null,
                    e);
        }
        return UpstreamErrors.classify(name, keySetting(), e, endpoint().timeout());
    }

    @Override
    public void stream(GenerateCommand command, String modelName, StreamListener listener) {
        AtomicBoolean finished = new AtomicBoolean();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                if (partial != null && !partial.isEmpty() && !finished.get()) {
                    listener.onText(partial);
                }
            }

            @Override
            public void onPartialThinking(PartialThinking partial) {
                if (partial != null && partial.text() != null && !partial.text().isEmpty() && !finished.get()) {
                    listener.onReasoning(partial.text());
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                if (finished.compareAndSet(false, true)) {
                    try {
                        listener.onComplete(answer(response));
                    } catch (ProviderFailure failure) {
                        listener.onError(failure);
                    }
                }
            }

            @Override
            public void onError(Throwable error) {
                if (finished.compareAndSet(false, true)) {
                    listener.onError(UpstreamErrors.classify(
                            name, keySetting(), error, endpoint().timeout()));
                }
            }
        };
        try {
            (thinking(command) ? thinkingStreamingModel.get() : streamingModel.get())
                    .chat(request(command, modelName), handler);
        } catch (RuntimeException e) {
            handler.onError(e);
        }
    }

    /** The request as LangChain4j models take it; providers may adjust it. */
    protected ChatRequest request(GenerateCommand command, String modelName) {
        ChatRequest.Builder request = ChatRequest.builder()
                .messages(MessageMapper.messages(command.messages()))
                .modelName(modelName);
        if (command.hasTools()) {
            request.toolSpecifications(MessageMapper.tools(command.tools()));
        }
        GenerateOptions options = command.options();
        if (options != null) {
            request.temperature(options.temperature()).topP(options.topP()).maxOutputTokens(options.maxTokens());
            if (options.stop() != null && !options.stop().isEmpty()) {
                request.stopSequences(options.stop());
            }
        }
        return request.build();
    }

    /** The normalised answer of a LangChain4j response. */
    protected final ProviderAnswer answer(ChatResponse response) {
        if (response == null || response.aiMessage() == null) {
            throw ProviderFailure.of(
                    ProviderFailure.Kind.MALFORMED_RESPONSE, name, "provider " + name + " returned no message");
        }
        List<ToolCall> calls = new ArrayList<>();
        if (response.aiMessage().hasToolExecutionRequests()) {
            int i = 0;
            for (ToolExecutionRequest r : response.aiMessage().toolExecutionRequests()) {
                // Gemini function calls carry no id: give them stable positional ones
                String id = r.id() == null || r.id().isBlank() ? "call_" + i : r.id();
                calls.add(new ToolCall(id, r.name(), arguments(r)));
                i++;
            }
        }
        return new ProviderAnswer(
                response.aiMessage().text(),
                calls,
                usage(response.tokenUsage()),
                response.modelName(),
                finishReason(response.finishReason(), !calls.isEmpty()),
                reasoning(response));
    }

    /**
     * The model's visible reasoning: what the LangChain4j model parsed as thinking (the models are built with
     * {@code returnThinking(true)}: Anthropic {@code thinking} blocks — {@code redacted_thinking} is opaque and
     * left out —, OpenAI-compatible {@code reasoning_content}, Gemini parts with {@code thought: true}).
     */
    protected String reasoning(ChatResponse response) {
        return response.aiMessage().thinking();
    }

    private JsonNode arguments(ToolExecutionRequest r) {
        String raw = r.arguments();
        if (raw == null || raw.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(raw);
            if (node == null || !node.isObject()) {
                throw ProviderFailure.of(
                        ProviderFailure.Kind.MALFORMED_RESPONSE,
                        name,
                        "provider " + name + " returned arguments for tool '" + r.name()
                                + "' that are not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ProviderFailure(
                    ProviderFailure.Kind.MALFORMED_RESPONSE,
                    name,
                    "provider " + name + " returned arguments for tool '" + r.name() + "' that are not valid JSON",
                    null,
                    e);
        }
    }

    static Usage usage(TokenUsage usage) {
        if (usage == null) {
            return Usage.NONE;
        }
        long in = usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long out = usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        long total = usage.totalTokenCount() == null ? in + out : usage.totalTokenCount();
        return new Usage(in, out, total);
    }

    static FinishReason finishReason(dev.langchain4j.model.output.FinishReason reason, boolean hasToolCalls) {
        if (hasToolCalls) {
            return FinishReason.TOOL_CALLS;
        }
        if (reason == null) {
            return FinishReason.OTHER;
        }
        return switch (reason) {
            case STOP -> FinishReason.STOP;
            case TOOL_EXECUTION -> FinishReason.TOOL_CALLS;
            case LENGTH -> FinishReason.LENGTH;
            case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    protected final void logReady() {
        LogFields.of(
                        "provider", name,
                        "baseUrl", endpoint().baseUrl().orElse("(provider default)"),
                        "defaultModel", endpoint().model(),
                        "keySet", endpoint().apiKey().isPresent())
                .info(LOG, "chat model ready");
    }

    /** A model built on first use, so the service boots without keys. */
    private static final class Lazy<T> {
        private final java.util.function.Supplier<T> build;
        private final Runnable onBuilt;
        private volatile T value;

        Lazy(java.util.function.Supplier<T> build, Runnable onBuilt) {
            this.build = build;
            this.onBuilt = onBuilt;
        }

        T get() {
            T current = value;
            if (current == null) {
                synchronized (this) {
                    current = value;
                    if (current == null) {
                        current = build.get();
                        onBuilt.run();
                        value = current;
                    }
                }
            }
            return current;
        }
    }
}
