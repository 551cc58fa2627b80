package dev.devloop.provider.application;

import dev.devloop.contracts.ids.TimeOrderedIds;
import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.domain.ProviderFailure;
import dev.devloop.provider.domain.RetryPolicy;
import dev.devloop.provider.domain.UsageRecord;
import dev.devloop.provider.ports.in.EmbedUseCase;
import dev.devloop.provider.ports.out.EmbeddingProviderPort;
import dev.devloop.provider.ports.out.EmbeddingProviderPort.EmbeddingAnswer;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.PublishUsagePort;
import dev.devloop.provider.ports.out.UsageLedgerPort;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Embeddings: validates inputs against bounds, routes the model to its provider ({@code provider/model}
 * or the provider serving the bare name), retries retryable failures, records usage and metrics.
 */
public class EmbeddingsService implements EmbedUseCase {
    private static final Logger LOG = Logger.getLogger(EmbeddingsService.class);

    private final List<EmbeddingProviderPort> providers;
    private final String defaultModel;
    private final int maxInputs;
    private final int maxInputChars;
    private final RetryPolicy retry;
    private final ProviderMetricsPort metrics;
    private final UsageLedgerPort ledger;
    private final PublishUsagePort usageEvents;
    private final Clock clock;

    public EmbeddingsService(
            List<EmbeddingProviderPort> providers,
            String defaultModel,
            int maxInputs,
            int maxInputChars,
            RetryPolicy retry,
            ProviderMetricsPort metrics,
            UsageLedgerPort ledger,
            PublishUsagePort usageEvents,
            Clock clock) {
        this.providers = List.copyOf(providers);
        this.defaultModel = defaultModel;
        this.maxInputs = maxInputs;
        this.maxInputChars = maxInputChars;
        this.retry = retry;
        this.metrics = metrics;
        this.ledger = ledger;
        this.usageEvents = usageEvents;
        this.clock = clock;
    }

    @Override
    public List<String> models() {
        List<String> out = new ArrayList<>();
        for (EmbeddingProviderPort p : providers) {
            if (p.configured()) {
                p.models().forEach(m -> out.add(p.name() + "/" + m));
            }
        }
        return out;
    }

    @Override
    public Embedded embed(String tenant, String model, List<String> inputs, Integer dimensions, String agentId) {
        String requested = model == null || model.isBlank() ? defaultModel : model.trim();
        EmbeddingProviderPort provider = null;
        String bare = requested;
        int slash = requested.indexOf('/');
        if (slash > 0) {
            String prefix = requested.substring(0, slash).toLowerCase(Locale.ROOT);
            for (EmbeddingProviderPort p : providers) {
                if (p.name().equals(prefix)) {
                    provider = p;
                    bare = requested.substring(slash + 1);
                }
            }
        }
        if (provider == null) {
            for (EmbeddingProviderPort p : providers) {
                if (p.models().contains(requested)) {
                    provider = p;
                }
            }
        }
        if (provider == null || !provider.models().contains(bare)) {
            String detail = "unknown embedding model '"
                    + (requested.length() > 200 ? requested.substring(0, 200) + "…" : requested) + "'; known: "
                    + String.join(
                            ", ",
                            providers.stream()
                                    .flatMap(p -> p.models().stream().map(m -> p.name() + "/" + m))
                                    .toList());
            throw new Refusal(Refusal.Reason.INVALID, "model-not-found", "Model not found", detail, "model");
        }
        if (inputs == null || inputs.isEmpty()) {
            throw Refusal.invalid("input", "at least one input is required");
        }
        if (inputs.size() > maxInputs) {
            throw Refusal.invalid("input", "at most " + maxInputs + " inputs are accepted");
        }
        for (int i = 0; i < inputs.size(); i++) {
            String in = inputs.get(i);
            if (in == null || in.isEmpty()) {
                throw Refusal.invalid("input[" + i + "]", "an input must be a non-empty string");
            }
            if (in.length() > maxInputChars) {
                throw Refusal.invalid("input[" + i + "]", "an input must be at most " + maxInputChars + " characters");
            }
        }
        Integer fixed = provider.fixedDimension(bare);
        if (dimensions != null && (dimensions < 1 || dimensions > 4096 || fixed != null && !fixed.equals(dimensions))) {
            throw Refusal.invalid(
                    "dimensions",
                    fixed != null ? "model " + bare + " has " + fixed + " dimensions" : "dimensions must be 1..4096");
        }
        if (!provider.configured()) {
            throw ProviderFailure.of(
                    ProviderFailure.Kind.NOT_CONFIGURED, provider.name(), provider.notConfiguredDetail());
        }
        long start = System.nanoTime();
        EmbeddingAnswer answer;
        try {
            answer = call(provider, bare, inputs, dimensions);
        } catch (ProviderFailure f) {
            metrics.recordCall(
                    provider.name(),
                    bare,
                    f.kind().name().toLowerCase(Locale.ROOT),
                    Duration.ofNanos(System.nanoTime() - start),
                    Usage.NONE);
            LogFields.of("tenant", tenant, "provider", provider.name(), "model", bare, "kind", f.kind())
                    .warn(LOG, "embed failed");
            throw f;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Usage usage = new Usage(answer.inputTokens(), 0, answer.inputTokens());
        metrics.recordCall(provider.name(), bare, "success", elapsed, usage);
        LogFields.of(
                        "tenant", tenant,
                        "provider", provider.name(),
                        "model", bare,
                        "inputs", inputs.size(),
                        "tokens", answer.inputTokens(),
                        "latencyMs", elapsed.toMillis())
                .info(LOG, "embedded");
        UsageRecord record = new UsageRecord(
                TimeOrderedIds.uuid(),
                tenant,
                agentId,
                provider.name(),
                bare,
                answer.inputTokens(),
                0,
                answer.inputTokens(),
                false,
                false,
                "embedding",
                elapsed.toMillis(),
                clock.instant(),
                null);
        try {
            ledger.record(record);
            usageEvents.publish(record);
        } catch (RuntimeException e) {
            LogFields.of("tenant", tenant, "error", e.getClass().getSimpleName())
                    .warn(LOG, "usage record failed");
        }
        return new Embedded(provider.name(), answer);
    }

    private EmbeddingAnswer call(
            EmbeddingProviderPort provider, String model, List<String> inputs, Integer dimensions) {
        for (int attempt = 0; ; attempt++) {
            try {
                return provider.embed(model, inputs, dimensions);
            } catch (ProviderFailure f) {
                Optional<Duration> delay =
                        retry.delay(attempt, f, ThreadLocalRandom.current().nextDouble(), clock.instant());
                if (delay.isEmpty()) {
                    throw f;
                }
                metrics.recordRetry(provider.name(), f.kind().name().toLowerCase(Locale.ROOT));
                try {
                    Thread.sleep(delay.get().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw f;
                }
            }
        }
    }
}
