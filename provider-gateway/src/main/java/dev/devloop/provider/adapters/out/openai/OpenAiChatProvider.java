package dev.devloop.provider.adapters.out.openai;

import dev.devloop.provider.adapters.out.langchain.GuardedChat;
import dev.devloop.provider.adapters.out.langchain.LangChainChatProvider;
import dev.devloop.provider.config.ProviderConfig;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * OpenAI (or any OpenAI-compatible server) through quarkus-langchain4j's OpenAI chat model, built
 * programmatically and lazily so the service boots without a key and answers 503 instead.
 */
@Singleton
public class OpenAiChatProvider extends LangChainChatProvider {
  public static final String NAME = "openai";
  public static final String KEY_SETTING = "DEVLOOP_OPENAI_API_KEY";
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** Sent to keyless OpenAI-compatible servers (Ollama, llama.cpp) that ignore the header. */
  private static final String KEYLESS = "not-needed";

  private final Endpoint endpoint;
  private final OpenAiCalls calls;

  public OpenAiChatProvider(
      ProviderConfig config, OpenAiCalls calls, CircuitBreakerMaintenance circuits, Config mpConfig) {
    super(NAME, circuits, mpConfig, OpenAiCalls.class, OpenAiCalls.CIRCUIT_DELAY_SECONDS);
    ProviderConfig.OpenAi c = config.openai();
    this.endpoint = new Endpoint(c.apiKey(), c.baseUrl(), c.model(), c.models().orElse(List.of()), c.timeout(), c.logBodies());
    this.calls = calls;
  }

  @Override
  protected Endpoint endpoint() {
    return endpoint;
  }

  @Override
  protected String keySetting() {
    return KEY_SETTING;
  }

  @Override
  protected GuardedChat guard() {
    return calls;
  }

  @Override
  public boolean configured() {
    return endpoint.apiKey().isPresent() || endpoint.baseUrl().filter(u -> !u.equals(DEFAULT_BASE_URL)).isPresent();
  }

  @Override
  public String notConfiguredDetail() {
    return "provider openai is not configured: set DEVLOOP_OPENAI_API_KEY (devloop.provider.openai.api-key), "
        + "or DEVLOOP_OPENAI_BASE_URL (devloop.provider.openai.base-url) for an OpenAI-compatible server";
  }

  /** The base URL calls go to. */
  public String effectiveBaseUrl() {
    return endpoint.baseUrl().orElse(DEFAULT_BASE_URL);
  }

  @Override
  protected ChatModel buildModel() {
    return OpenAiChatModel.builder()
        .baseUrl(effectiveBaseUrl())
        .apiKey(endpoint.apiKey().orElse(KEYLESS))
        .modelName(endpoint.model())
        .timeout(endpoint.timeout())
        .maxRetries(0)
        .logRequests(endpoint.logBodies())
        .logResponses(endpoint.logBodies())
        .build();
  }

  @Override
  protected StreamingChatModel buildStreamingModel() {
    return OpenAiStreamingChatModel.builder()
        .baseUrl(effectiveBaseUrl())
        .apiKey(endpoint.apiKey().orElse(KEYLESS))
        .modelName(endpoint.model())
        .timeout(endpoint.timeout())
        .logRequests(endpoint.logBodies())
        .logResponses(endpoint.logBodies())
        .build();
  }
}
