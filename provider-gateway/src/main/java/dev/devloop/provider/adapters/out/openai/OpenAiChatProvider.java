package dev.devloop.provider.adapters.out.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.provider.GenerateOptions;
import dev.devloop.contracts.provider.ToolCall;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.application.GenerateCommand;
import dev.devloop.provider.config.ProviderConfig;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.StreamListener;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * OpenAI (or any OpenAI-compatible server) through quarkus-langchain4j's OpenAI chat model, built
 * programmatically and lazily so the service boots without a key and answers 503 instead.
 */
@ApplicationScoped
public class OpenAiChatProvider implements ChatProviderPort {
  public static final String NAME = "openai";
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** Sent to keyless OpenAI-compatible servers (Ollama, llama.cpp) that ignore the header. */
  private static final String KEYLESS = "not-needed";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProviderConfig.OpenAi config;
  private final OpenAiCalls calls;
  private final CircuitBreakerMaintenance circuits;
  private final String circuitRetryAfter;
  private volatile ChatModel model;
  private volatile StreamingChatModel streamingModel;

  public OpenAiChatProvider(
      ProviderConfig config, OpenAiCalls calls, CircuitBreakerMaintenance circuits, Config mpConfig) {
    this.config = config.openai();
    this.calls = calls;
    this.circuits = circuits;
    this.circuitRetryAfter = String.valueOf(circuitDelaySeconds(mpConfig));
  }

  /** The circuit's open delay in seconds, honouring a configuration override of the annotation. */
  private static long circuitDelaySeconds(Config mpConfig) {
    String prefix = "quarkus.fault-tolerance.\"" + OpenAiCalls.class.getName() + "/chat\".circuit-breaker.";
    long delay = mpConfig.getOptionalValue(prefix + "delay", Long.class).orElse(OpenAiCalls.CIRCUIT_DELAY_SECONDS);
    ChronoUnit unit = mpConfig.getOptionalValue(prefix + "delay-unit", String.class)
        .map(u -> ChronoUnit.valueOf(u.toUpperCase(Locale.ROOT))).orElse(ChronoUnit.SECONDS);
    return Math.max(1, Duration.of(delay, unit).toSeconds());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean configured() {
    return apiKey().isPresent() || baseUrl().filter(u -> !u.equals(DEFAULT_BASE_URL)).isPresent();
  }

  @Override
  public String defaultModel() {
    return config.model();
  }

  @Override
  public String notConfiguredDetail() {
    return "provider openai is not configured: set DEVLOOP_OPENAI_API_KEY (devloop.provider.openai.api-key), "
        + "or DEVLOOP_OPENAI_BASE_URL (devloop.provider.openai.base-url) for an OpenAI-compatible server";
  }

  @Override
  public List<String> models() {
    List<String> models = new ArrayList<>();
    models.add(config.model());
    config.models().ifPresent(list -> list.stream().filter(m -> !models.contains(m)).forEach(models::add));
    return List.copyOf(models);
  }

  @Override
  public String circuitState() {
    CircuitBreakerState state = circuits.currentState(OpenAiCalls.CIRCUIT);
    return state.name().toLowerCase(Locale.ROOT);
  }

  /** The base URL calls go to. */
  public String effectiveBaseUrl() {
    return baseUrl().orElse(DEFAULT_BASE_URL);
  }

  @Override
  public ProviderAnswer chat(GenerateCommand command, String modelName) {
    OpenAiCalls.Outcome outcome;
    try {
      outcome = calls.chat(model(), request(command, modelName), config.timeout());
    } catch (CircuitBreakerOpenException e) {
      throw new ProviderFailure(ProviderFailure.Kind.CIRCUIT_OPEN, NAME,
          "provider openai failed repeatedly; its circuit is open and calls resume after a pause",
          circuitRetryAfter, e);
    } catch (TimeoutException e) {
      throw new ProviderFailure(ProviderFailure.Kind.UNREACHABLE, NAME,
          "provider openai did not answer within the gateway's time limit", null, e);
    }
    if (outcome.rejected() != null) {
      throw outcome.rejected();
    }
    return answer(outcome.response());
  }

  @Override
  public void stream(GenerateCommand command, String modelName, StreamListener listener) {
    AtomicBoolean finished = new AtomicBoolean();
    StreamingChatResponseHandler handler =
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partial) {
            if (partial != null && !partial.isEmpty() && !finished.get()) {
              listener.onText(partial);
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
              listener.onError(UpstreamErrors.classify(NAME, error, config.timeout()));
            }
          }
        };
    try {
      streamingModel().chat(request(command, modelName), handler);
    } catch (RuntimeException e) {
      handler.onError(e);
    }
  }

  private static ChatRequest request(GenerateCommand command, String modelName) {
    ChatRequest.Builder request =
        ChatRequest.builder().messages(MessageMapper.messages(command.messages())).modelName(modelName);
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

  private ProviderAnswer answer(ChatResponse response) {
    if (response == null || response.aiMessage() == null) {
      throw ProviderFailure.of(ProviderFailure.Kind.MALFORMED_RESPONSE, NAME, "provider openai returned no message");
    }
    List<ToolCall> calls = new ArrayList<>();
    if (response.aiMessage().hasToolExecutionRequests()) {
      for (ToolExecutionRequest r : response.aiMessage().toolExecutionRequests()) {
        calls.add(new ToolCall(r.id(), r.name(), arguments(r)));
      }
    }
    return new ProviderAnswer(
        response.aiMessage().text(), calls, usage(response.tokenUsage()), response.modelName(),
        finishReason(response.finishReason(), !calls.isEmpty()));
  }

  private static JsonNode arguments(ToolExecutionRequest r) {
    String raw = r.arguments();
    if (raw == null || raw.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(raw);
      if (node == null || !node.isObject()) {
        throw ProviderFailure.of(ProviderFailure.Kind.MALFORMED_RESPONSE, NAME,
            "provider openai returned arguments for tool '" + r.name() + "' that are not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ProviderFailure(ProviderFailure.Kind.MALFORMED_RESPONSE, NAME,
          "provider openai returned arguments for tool '" + r.name() + "' that are not valid JSON", null, e);
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
    if (reason == null) {
      return hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.OTHER;
    }
    return switch (reason) {
      case STOP -> FinishReason.STOP;
      case TOOL_EXECUTION -> FinishReason.TOOL_CALLS;
      case LENGTH -> FinishReason.LENGTH;
      case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  private ChatModel model() {
    ChatModel current = model;
    if (current == null) {
      synchronized (this) {
        current = model;
        if (current == null) {
          current =
              OpenAiChatModel.builder()
                  .baseUrl(effectiveBaseUrl())
                  .apiKey(apiKey().orElse(KEYLESS))
                  .modelName(config.model())
                  .timeout(config.timeout())
                  .maxRetries(0)
                  .logRequests(config.logBodies())
                  .logResponses(config.logBodies())
                  .build();
          Log.infof("openai chat model ready baseUrl=%s defaultModel=%s keySet=%s",
              effectiveBaseUrl(), config.model(), apiKey().isPresent());
          model = current;
        }
      }
    }
    return current;
  }

  private StreamingChatModel streamingModel() {
    StreamingChatModel current = streamingModel;
    if (current == null) {
      synchronized (this) {
        current = streamingModel;
        if (current == null) {
          current =
              OpenAiStreamingChatModel.builder()
                  .baseUrl(effectiveBaseUrl())
                  .apiKey(apiKey().orElse(KEYLESS))
                  .modelName(config.model())
                  .timeout(config.timeout())
                  .logRequests(config.logBodies())
                  .logResponses(config.logBodies())
                  .build();
          streamingModel = current;
        }
      }
    }
    return current;
  }

  private Optional<String> apiKey() {
    return config.apiKey().filter(k -> !k.isBlank());
  }

  private Optional<String> baseUrl() {
    return config.baseUrl().filter(u -> !u.isBlank()).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
  }
}
