package dev.devloop.provider.application;

import dev.devloop.contracts.provider.GenerateRequest;
import dev.devloop.contracts.provider.GenerateResponse;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.CacheMode;
import dev.devloop.provider.domain.CacheSettings;
import dev.devloop.provider.domain.FinishReason;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.RequestLimits;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.in.GenerateUseCase;
import dev.devloop.provider.ports.in.GenerationStream;
import dev.devloop.provider.ports.in.ListProvidersUseCase;
import dev.devloop.provider.ports.in.ProviderView;
import dev.devloop.provider.ports.out.ChatProviderPort;
import dev.devloop.provider.ports.out.ProviderAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.PublishUsagePort;
import dev.devloop.provider.ports.out.ResponseCachePort;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import dev.devloop.provider.ports.out.StreamListener;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Validates a generate request, answers deterministic ones from the cache, otherwise routes it to
 * its provider; measures and logs every call.
 */
public class GenerateService implements GenerateUseCase, ListProvidersUseCase {
  private final Map<String, ChatProviderPort> providers;
  private final List<ChatProviderPort> ordered;
  private final String defaultProvider;
  private final RequestLimits limits;
  private final ProviderMetricsPort metrics;
  private final ResponseCachePort responses;
  private final CacheSettings cache;
  private final UsageLedgerPort ledger;
  private final PublishUsagePort usageEvents;
  private final Clock clock;
  private final LongSupplier nanoClock;

  public GenerateService(
      List<ChatProviderPort> providers,
      String defaultProvider,
      RequestLimits limits,
      ProviderMetricsPort metrics,
      ResponseCachePort responses,
      CacheSettings cache,
      UsageLedgerPort ledger,
      PublishUsagePort usageEvents,
      Clock clock,
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
    this.responses = responses;
    this.cache = cache;
    this.ledger = ledger;
    this.usageEvents = usageEvents;
    this.clock = clock;
    this.nanoClock = nanoClock;
  }

  /** A validated call about to be made. */
  private record Call(GenerateCommand command, ChatProviderPort provider, String model, long start) {}

  @Override
  public GenerateResponse generate(String tenant, GenerateRequest request, CacheMode mode) {
    Call call = prepare(tenant, request);
    String provider = call.provider().name();
    boolean cacheable = cache.enabled() && mode != CacheMode.NO_STORE && (mode == CacheMode.FORCE || deterministic(call));
    String key = cacheable ? CacheKeys.of(call.command(), call.model()) : null;
    if (cacheable && mode != CacheMode.REFRESH) {
      Optional<GenerateResponse> hit = responses.get(tenant, key);
      if (hit.isPresent()) {
        metrics.recordCache(provider, call.model(), "hit");
        long latency = Duration.ofNanos(nanoClock.getAsLong() - call.start()).toMillis();
        GenerateResponse h = hit.get();
        Log.infof("generate tenant=%s agent=%s provider=%s model=%s cached=true finish=%s toolCalls=%d latencyMs=%d",
            tenant, call.command().agentId(), provider, h.model(), h.finishReason(),
            h.toolCalls() == null ? 0 : h.toolCalls().size(), latency);
        GenerateResponse cached =
            new GenerateResponse(h.text(), h.toolCalls(), h.usage(), h.model(), h.provider(), h.finishReason(), true, latency);
        recordUsage(call.command(), cached, false);
        return cached;
      }
      metrics.recordCache(provider, call.model(), "miss");
    } else if (mode == CacheMode.REFRESH || mode == CacheMode.NO_STORE) {
      metrics.recordCache(provider, call.model(), "bypass");
    }
    ProviderAnswer answer;
    try {
      answer = call.provider().chat(call.command(), call.model());
    } catch (ProviderFailure failure) {
      throw failed(call, failure);
    }
    GenerateResponse response = succeeded(call, answer, false);
    if (cacheable && (answer.finishReason() == FinishReason.STOP || answer.finishReason() == FinishReason.TOOL_CALLS)) {
      responses.put(tenant, key, response, cache.ttl());
    }
    return response;
  }

  /** Temperature 0 makes a request deterministic enough to answer from the cache. */
  private static boolean deterministic(Call call) {
    Double t = call.command().options() == null ? null : call.command().options().temperature();
    return t != null && t == 0.0;
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
    GenerateResponse response = new GenerateResponse(
        answer.text(), answer.toolCalls(), answer.usage(), model, provider, answer.finishReason().wire(), false,
        elapsed.toMillis());
    recordUsage(command, response, streamed);
    return response;
  }

  /** Writes the call to the ledger and the usage topic; neither may fail the call. */
  private void recordUsage(GenerateCommand command, GenerateResponse r, boolean streamed) {
    Usage u = r.usage() == null ? Usage.NONE : r.usage();
    UsageRecord record = new UsageRecord(
        UUID.randomUUID().toString(), command.tenant(), command.agentId(), r.provider(), r.model(),
        r.cached() ? 0 : u.inputTokens(), r.cached() ? 0 : u.outputTokens(), r.cached() ? 0 : u.totalTokens(),
        r.cached(), streamed, r.finishReason(), r.latencyMs(), clock.instant());
    try {
      ledger.record(record);
    } catch (RuntimeException e) {
      Log.warnf("usage ledger write failed tenant=%s error=%s", command.tenant(), e.getClass().getSimpleName());
    }
    try {
      usageEvents.publish(record);
    } catch (RuntimeException e) {
      Log.warnf("usage event failed tenant=%s error=%s", command.tenant(), e.getClass().getSimpleName());
    }
  }

  private static String outcome(ProviderFailure.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
