package dev.devloop.provider.adapters.out.langchain.anthropic;

import dev.devloop.contracts.provider.ChatMessage;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.provider.adapters.out.langchain.JdkHttpClient;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.ports.out.GenerateCommand;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Anthropic Claude (Messages API) through LangChain4j's Anthropic chat model over the gateway's
 * JDK HTTP client, built lazily. Anthropic requires {@code max_tokens}: requests without
 * {@code options.maxTokens} get {@code devloop.provider.anthropic.max-tokens}.
 *
 * <p>With {@code devloop.provider.anthropic.thinking.budget-tokens} above 0 a request opening an assistant turn
 * asks for extended thinking: {@code max_tokens} is the answer's tokens plus the budget (it must exceed the
 * budget), and temperature (and a {@code top_p} below 0.95), which thinking does not accept, are left out. A
 * request continuing a tool-use loop goes without thinking: Anthropic then wants the turn's signed
 * {@code thinking} blocks echoed back, which the gateway's messages do not carry.
 */
@Singleton
public class AnthropicChatProvider extends LangChainChatProvider {
    public static final String NAME = "anthropic";
    public static final String KEY_SETTING = "DEVLOOP_ANTHROPIC_API_KEY";
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";

    private final int defaultMaxTokens;
    private final String version;
    private final int thinkingBudget;

    public AnthropicChatProvider(
            ProviderConfig config, AnthropicCalls calls, CircuitBreakerMaintenance circuits, Config mpConfig) {
        super(
                NAME,
                circuits,
                mpConfig,
                AnthropicCalls.class,
                AnthropicCalls.CIRCUIT_DELAY_SECONDS,
                endpoint(config.anthropic()),
                KEY_SETTING,
                calls);
        ProviderConfig.Anthropic c = config.anthropic();
        this.defaultMaxTokens = c.maxTokens();
        this.version = c.version();
        this.thinkingBudget = Math.max(0, c.thinking().budgetTokens());
    }

    @Override
    public boolean configured() {
        return endpoint().apiKey().isPresent();
    }

    @Override
    public String notConfiguredDetail() {
        return "provider anthropic is not configured: set DEVLOOP_ANTHROPIC_API_KEY (devloop.provider.anthropic.api-key)";
    }

    @Override
    protected boolean thinking(GenerateCommand command) {
        return thinkingBudget > 0 && !continuesToolUse(command.messages());
    }

    /** Whether the conversation ends inside an assistant turn: tool calls made after the last user message. */
    static boolean continuesToolUse(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            ChatMessage m = messages.get(i);
            if ("user".equals(m.role())) {
                return false;
            }
            if ("assistant".equals(m.role())
                    && m.toolCalls() != null
                    && !m.toolCalls().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected ChatRequest request(GenerateCommand command, String modelName) {
        GenerateOptions o = command.options() == null ? new GenerateOptions(null, null, null, null) : command.options();
        int answerTokens = o.maxTokens() == null ? defaultMaxTokens : o.maxTokens();
        GenerateOptions sent = thinking(command)
                ? new GenerateOptions(
                        o.temperature() != null && o.temperature() == 1.0 ? o.temperature() : null,
                        answerTokens + thinkingBudget,
                        o.topP() != null && o.topP() >= 0.95 ? o.topP() : null,
                        o.stop())
                : new GenerateOptions(o.temperature(), answerTokens, o.topP(), o.stop());
        return super.request(
                new GenerateCommand(
                        command.tenant(),
                        command.provider(),
                        command.model(),
                        command.messages(),
                        command.tools(),
                        sent,
                        command.agentId()),
                modelName);
    }

    private String baseUrl() {
        return endpoint().baseUrl().orElse(DEFAULT_BASE_URL) + "/";
    }

    @Override
    protected ChatModel buildModel() {
        return chatModel().build();
    }

    @Override
    protected ChatModel buildThinkingModel() {
        return chatModel()
                .thinkingType("enabled")
                .thinkingBudgetTokens(thinkingBudget)
                .build();
    }

    @Override
    protected StreamingChatModel buildStreamingModel() {
        return streamingModel().build();
    }

    @Override
    protected StreamingChatModel buildThinkingStreamingModel() {
        return streamingModel()
                .thinkingType("enabled")
                .thinkingBudgetTokens(thinkingBudget)
                .build();
    }

    private AnthropicChatModel.AnthropicChatModelBuilder chatModel() {
        return AnthropicChatModel.builder()
                .httpClientBuilder(JdkHttpClient.builder())
                .baseUrl(baseUrl())
                .apiKey(endpoint().apiKey().orElseThrow())
                .version(version)
                .modelName(endpoint().model())
                .maxTokens(defaultMaxTokens)
                .timeout(endpoint().timeout())
                .maxRetries(0)
                .logRequests(endpoint().logBodies())
                .logResponses(endpoint().logBodies())
                .returnThinking(true);
    }

    private AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder streamingModel() {
        return AnthropicStreamingChatModel.builder()
                .httpClientBuilder(JdkHttpClient.builder())
                .baseUrl(baseUrl())
                .apiKey(endpoint().apiKey().orElseThrow())
                .version(version)
                .modelName(endpoint().model())
                .maxTokens(defaultMaxTokens)
                .timeout(endpoint().timeout())
                .logRequests(endpoint().logBodies())
                .logResponses(endpoint().logBodies())
                .returnThinking(true);
    }

    private static Endpoint endpoint(ProviderConfig.Anthropic c) {
        return new Endpoint(
                c.apiKey(), c.baseUrl(), c.model(), c.models().orElse(List.of()), c.timeout(), c.logBodies());
    }
}
