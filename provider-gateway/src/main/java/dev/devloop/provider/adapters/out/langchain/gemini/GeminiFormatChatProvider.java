package dev.devloop.provider.adapters.out.langchain.gemini;

import dev.devloop.provider.adapters.out.langchain.GuardedChat;
import dev.devloop.provider.adapters.out.langchain.JdkHttpClient;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.config.ProviderConfig;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GeminiThinkingConfig;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * A provider speaking the Gemini {@code generateContent} wire format through LangChain4j's Gemini API
 * model over the gateway's JDK HTTP client: the Gemini API itself ({@link GeminiChatProvider}) and
 * Gemini on Vertex AI ({@code VertexChatProvider}), which differ only in the URL the model paths are
 * appended to and in how the request is authenticated. Thinking settings become
 * {@code generationConfig.thinkingConfig} on every request; nothing is sent while they are off.
 */
public abstract class GeminiFormatChatProvider extends LangChainChatProvider {

    private final Optional<GeminiThinkingConfig> thinking;

    protected GeminiFormatChatProvider(
            String name,
            CircuitBreakerMaintenance circuits,
            Config mpConfig,
            Class<?> guardClass,
            long defaultCircuitDelaySeconds,
            Endpoint endpoint,
            String keySetting,
            GuardedChat guard,
            ProviderConfig.GoogleThinking thinking) {
        super(name, circuits, mpConfig, guardClass, defaultCircuitDelaySeconds, endpoint, keySetting, guard);
        this.thinking = thinkingConfig(thinking);
    }

    /** The {@code thinkingConfig} the settings ask for; empty when thoughts are not asked for and no budget is set. */
    static Optional<GeminiThinkingConfig> thinkingConfig(ProviderConfig.GoogleThinking settings) {
        if (!settings.includeThoughts() && settings.budgetTokens().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(GeminiThinkingConfig.builder()
                .includeThoughts(settings.includeThoughts() ? Boolean.TRUE : null)
                .thinkingBudget(settings.budgetTokens().orElse(null))
                .build());
    }

    /** The URL {@code /models/{m}:generateContent} is appended to. */
    protected abstract String modelsBaseUrl();

    /** The value LangChain4j sends as {@code x-goog-api-key}. */
    protected abstract String apiKey();

    /** The HTTP client (a provider may rewrite headers, e.g. for OAuth). */
    protected JdkHttpClient.Builder http() {
        return JdkHttpClient.builder();
    }

    @Override
    protected ChatModel buildModel() {
        Endpoint endpoint = endpoint();
        return GoogleAiGeminiChatModel.builder()
                .httpClientBuilder(http())
                .baseUrl(modelsBaseUrl())
                .apiKey(apiKey())
                .modelName(endpoint.model())
                .timeout(endpoint.timeout())
                .maxRetries(0)
                .logRequests(endpoint.logBodies())
                .logResponses(endpoint.logBodies())
                .returnThinking(true)
                .thinkingConfig(thinking.orElse(null))
                .build();
    }

    @Override
    protected StreamingChatModel buildStreamingModel() {
        Endpoint endpoint = endpoint();
        return GoogleAiGeminiStreamingChatModel.builder()
                .httpClientBuilder(http())
                .baseUrl(modelsBaseUrl())
                .apiKey(apiKey())
                .modelName(endpoint.model())
                .timeout(endpoint.timeout())
                .logRequests(endpoint.logBodies())
                .logResponses(endpoint.logBodies())
                .returnThinking(true)
                .thinkingConfig(thinking.orElse(null))
                .build();
    }
}
