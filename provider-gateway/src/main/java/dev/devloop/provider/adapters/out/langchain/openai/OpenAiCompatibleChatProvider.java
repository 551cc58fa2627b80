package dev.devloop.provider.adapters.out.langchain.openai;

import dev.devloop.provider.adapters.out.langchain.GuardedChat;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import java.time.Duration;

/**
 * A provider speaking OpenAI's chat-completions wire format (OpenAI itself, Ollama, vLLM, llama.cpp
 * server, LiteLLM…) through quarkus-langchain4j's OpenAI chat model, built lazily. The built-in
 * {@code openai} provider and every named instance of type {@code openai-compatible} are one of these,
 * each with its own name, endpoint and guarded call (circuit breaker).
 */
public class OpenAiCompatibleChatProvider extends LangChainChatProvider {
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    /** Sent to keyless OpenAI-compatible servers (Ollama, llama.cpp) that ignore the header. */
    private static final String KEYLESS = "not-needed";

    private final String notConfiguredDetail;
    private final boolean configured;

    /**
     * @param keySetting the setting that holds the key, named in 401 messages
     * @param configured whether a call can be attempted (else 503 with {@code notConfiguredDetail})
     */
    public OpenAiCompatibleChatProvider(
            String name,
            Endpoint endpoint,
            GuardedChat guard,
            CircuitBreakerMaintenance circuits,
            Duration circuitDelay,
            String keySetting,
            boolean configured,
            String notConfiguredDetail) {
        super(name, circuits, circuitDelay, endpoint, keySetting, guard);
        this.configured = configured;
        this.notConfiguredDetail = notConfiguredDetail;
    }

    @Override
    public boolean configured() {
        return configured;
    }

    @Override
    public String notConfiguredDetail() {
        return notConfiguredDetail;
    }

    /** The base URL calls go to. */
    public String effectiveBaseUrl() {
        return endpoint().baseUrl().orElse(DEFAULT_BASE_URL);
    }

    @Override
    protected ChatModel buildModel() {
        return OpenAiChatModel.builder()
                .baseUrl(effectiveBaseUrl())
                .apiKey(endpoint().apiKey().orElse(KEYLESS))
                .modelName(endpoint().model())
                .timeout(endpoint().timeout())
                .maxRetries(0)
                .logRequests(endpoint().logBodies())
                .logResponses(endpoint().logBodies())
                .returnThinking(true)
                .build();
    }

    @Override
    protected StreamingChatModel buildStreamingModel() {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(effectiveBaseUrl())
                .apiKey(endpoint().apiKey().orElse(KEYLESS))
                .modelName(endpoint().model())
                .timeout(endpoint().timeout())
                .logRequests(endpoint().logBodies())
                .logResponses(endpoint().logBodies())
                .returnThinking(true)
                .build();
    }
}
