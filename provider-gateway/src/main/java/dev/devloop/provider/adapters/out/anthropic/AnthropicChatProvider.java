package dev.devloop.provider.adapters.out.anthropic;

import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.provider.adapters.out.langchain.JdkHttpClient;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.application.GenerateCommand;
import dev.devloop.provider.config.ProviderConfig;
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
 */
@Singleton
public class AnthropicChatProvider extends LangChainChatProvider {
  public static final String NAME = "anthropic";
  public static final String KEY_SETTING = "DEVLOOP_ANTHROPIC_API_KEY";
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";

  private final int defaultMaxTokens;
  private final String version;

  public AnthropicChatProvider(
      ProviderConfig config, AnthropicCalls calls, CircuitBreakerMaintenance circuits, Config mpConfig) {
    super(NAME, circuits, mpConfig, AnthropicCalls.class, AnthropicCalls.CIRCUIT_DELAY_SECONDS,
        endpoint(config.anthropic()), KEY_SETTING, calls);
    ProviderConfig.Anthropic c = config.anthropic();
    this.defaultMaxTokens = c.maxTokens();
    this.version = c.version();
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
  protected ChatRequest request(GenerateCommand command, String modelName) {
    GenerateOptions o = command.options();
    if (o == null || o.maxTokens() == null) {
      GenerateOptions withMax = o == null
          ? new GenerateOptions(null, defaultMaxTokens, null, null)
          : new GenerateOptions(o.temperature(), defaultMaxTokens, o.topP(), o.stop());
      command = new GenerateCommand(command.tenant(), command.provider(), command.model(), command.messages(),
          command.tools(), withMax, command.agentId());
    }
    return super.request(command, modelName);
  }

  private String baseUrl() {
    return endpoint().baseUrl().orElse(DEFAULT_BASE_URL) + "/";
  }

  @Override
  protected ChatModel buildModel() {
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
        .returnThinking(true)
        .build();
  }

  @Override
  protected StreamingChatModel buildStreamingModel() {
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
        .returnThinking(true)
        .build();
  }

  private static Endpoint endpoint(ProviderConfig.Anthropic c) {
    return new Endpoint(c.apiKey(), c.baseUrl(), c.model(), c.models().orElse(List.of()), c.timeout(), c.logBodies());
  }
}
