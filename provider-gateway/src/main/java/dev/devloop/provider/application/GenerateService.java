package dev.devloop.provider.application;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.StreamListener;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/** Validates a generate request, routes it to its provider, measures and logs the call. */
public final class GenerateService implements GenerateUseCase, ListProvidersUseCase {
  private final Map<String, ChatProviderPort> providers;
  private final List<ChatProviderPort> ordered;
  private final String defaultProvider;
  private final RequestLimits limits;
  private final ProviderMetricsPort metrics;
  private final LongSupplier nanoClock;

  public GenerateService(
      List<ChatProviderPort> providers,
      String defaultProvider,
      RequestLimits limits,
      ProviderMetricsPort metrics,
      LongSupplier nanoClock) {
    Map<String, ChatProviderPort> byName = new LinkedHashMap<>();
    for (ChatProviderPort p : providers) {
      byName.put(p.name(), p);
    }
    if (!byName.containsKey(defaultProvider)) {
      throw new IllegalArgumentException("default provider '" + defaultProvider + "' is not one of " + byName.keySet());
    }
    this.providers = Map.copyOf(byName);
    this.ordered = List.copyOf(byName.values());
    this.defaultProvider = defaultProvider;
    this.limits = limits;
    this.metrics = metrics;
    this.nanoClock = nanoClock;
  }

  /** A validated call about to be made. */
  private record Call(GenerateCommand command, ChatProviderPort provider, String model, long start) {}

  @Override
  public GenerateResponse generate(String tenant, GenerateRequest request) {
    Call call = prepare(tenant, request);
    ProviderAnswer answer;
    try {
      answer = call.provider().chat(call.command(), call.model());
    } catch (ProviderFailure failure) {
      throw failed(call, failure);
    }
    return succeeded(call, answer, false);
  }

  @Override
  public void stream(String tenant, GenerateRequest request, GenerationStream stream) {
    Call call = prepare(tenant, request);
    call.provider().stream(call.command(), call.model(), new StreamListener() {
      @Override
      public void onText(String delta) {
        stream.onText(delta);
      }

      @Override
      public void onComplete(ProviderAnswer answer) {
        stream.onComplete(succeeded(call, answer, true));
      }

      @Override
      public void onError(ProviderFailure failure) {
        stream.onError(failed(call, failure));
      }
    });
  }

  @Override
  public List<ProviderView> providers() {
    List<ProviderView> views = new ArrayList<>();
    for (ChatProviderPort p : ordered) {
      views.add(new ProviderView(
          p.name(), p.configured(), p.name().equals(defaultProvider), p.defaultModel(), p.models(), p.circuitState()));
    }
    return views;
  }

  private Call prepare(String tenant, GenerateRequest request) {
    GenerateCommand command =
        GenerateCommand.validate(tenant, request, limits, providers.keySet(), defaultProvider);
    ChatProviderPort provider = providers.get(command.provider());
    String model = command.model() != null ? command.model() : provider.defaultModel();
    if (!provider.configured()) {
      metrics.recordCall(provider.name(), model, outcome(ProviderFailure.Kind.NOT_CONFIGURED), Duration.ZERO, Usage.NONE);
      Log.warnf("generate rejected tenant=%s provider=%s reason=not-configured", tenant, provider.name());
      throw ProviderFailure.of(ProviderFailure.Kind.NOT_CONFIGURED, provider.name(), provider.notConfiguredDetail());
    }
    return new Call(command, provider, model, nanoClock.getAsLong());
  }

  private ProviderFailure failed(Call call, ProviderFailure failure) {
    Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - call.start());
    metrics.recordCall(call.provider().name(), call.model(), outcome(failure.kind()), elapsed, Usage.NONE);
    Log.warnf(
        "generate failed tenant=%s provider=%s model=%s kind=%s latencyMs=%d detail=%s",
        call.command().tenant(), call.provider().name(), call.model(), failure.kind(), elapsed.toMillis(),
        failure.getMessage());
    return failure;
  }

  private GenerateResponse succeeded(Call call, ProviderAnswer answer, boolean streamed) {
    Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - call.start());
    String provider = call.provider().name();
    String model = answer.model() != null ? answer.model() : call.model();
    GenerateCommand command = call.command();
    metrics.recordCall(provider, model, "success", elapsed, answer.usage());
    Log.infof(
        "generate tenant=%s agent=%s provider=%s model=%s streamed=%s messages=%d tools=%d finish=%s toolCalls=%d tokensIn=%d tokensOut=%d latencyMs=%d",
        command.tenant(), command.agentId(), provider, model, streamed, command.messages().size(),
        command.tools().size(), answer.finishReason().wire(), answer.toolCalls().size(),
        answer.usage().inputTokens(), answer.usage().outputTokens(), elapsed.toMillis());
    return new GenerateResponse(
        answer.text(), answer.toolCalls(), answer.usage(), model, provider, answer.finishReason().wire(), false,
        elapsed.toMillis());
  }

  private static String outcome(ProviderFailure.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
