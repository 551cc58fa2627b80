package dev.devloop.provider.adapters.out.metrics;

import dev.devloop.contracts.provider.Usage;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Micrometer metrics: {@code devloop_provider_tokens} (counter; provider, model, direction) and
 * {@code devloop_provider_request_seconds} (timer; provider, model, outcome) and
 * {@code devloop_provider_cache} (counter; provider, model, result).
 */
@ApplicationScoped
public class MicrometerProviderMetrics implements ProviderMetricsPort {
    static final String CIRCUIT_RESETS = "devloop.provider.circuit.resets";
    static final String TOKENS = "devloop.provider.tokens";
    static final String REQUESTS = "devloop.provider.request";
    static final String CACHE = "devloop.provider.cache";
    static final String COST = "devloop.provider.cost";
    static final String RETRIES = "devloop.provider.retries";
    static final String FALLBACKS = "devloop.provider.fallbacks";
    static final String BULKHEAD = "devloop.provider.bulkhead.rejections";
    static final String BUDGET = "devloop.provider.budget.rejections";
    static final String REDACTIONS = "devloop.provider.pii.redactions";
    static final String SETTING_CHANGES = "devloop.provider.setting.changes";
    static final String INJECTION_SCORE = "devloop.provider.injection.score";
    static final String INJECTION_FLAGGED = "devloop.provider.injection.flagged";
    static final String INJECTION_BLOCKED = "devloop.provider.injection.blocked";

    private final MeterRegistry registry;

    public MicrometerProviderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void recordCall(String provider, String model, String outcome, Duration elapsed, Usage usage) {
        Timer.builder(REQUESTS)
                .description("Provider calls by provider, model and outcome")
                .tags("provider", provider, "model", model, "outcome", outcome)
                .register(registry)
                .record(elapsed);
        if (usage != null) {
            count(provider, model, "input", usage.inputTokens());
            count(provider, model, "output", usage.outputTokens());
        }
    }

    @Override
    public void recordCache(String provider, String model, String result) {
        Counter.builder(CACHE)
                .description("Response-cache lookups by result (hit, miss, bypass)")
                .tags("provider", provider, "model", model, "result", result)
                .register(registry)
                .increment();
    }

    @Override
    public void recordCost(String provider, String model, double usd) {
        if (usd > 0) {
            Counter.builder(COST)
                    .description("Estimated provider cost in USD from the configured price table")
                    .baseUnit("usd")
                    .tags("provider", provider, "model", model)
                    .register(registry)
                    .increment(usd);
        }
    }

    @Override
    public void recordRetry(String provider, String kind) {
        Counter.builder(RETRIES)
                .description("Retries of failed provider calls by failure kind")
                .tags("provider", provider, "kind", kind)
                .register(registry)
                .increment();
    }

    @Override
    public void recordFallback(String alias, String from, String to, String kind) {
        Counter.builder(FALLBACKS)
                .description("Fallbacks to the next provider of an alias's chain")
                .tags("alias", alias, "from", from, "to", to, "kind", kind)
                .register(registry)
                .increment();
    }

    @Override
    public void recordBulkheadRejection(String provider) {
        Counter.builder(BULKHEAD)
                .description("Calls refused because the provider's bulkhead was full")
                .tags("provider", provider)
                .register(registry)
                .increment();
    }

    @Override
    public void recordBudgetRejection() {
        Counter.builder(BUDGET)
                .description("Requests refused because the tenant's monthly budget is spent")
                .register(registry)
                .increment();
    }

    @Override
    public void recordRedactions(String kind, int count) {
        Counter.builder(REDACTIONS)
                .description("Values masked by PII redaction, by kind")
                .tags("kind", kind)
                .register(registry)
                .increment(count);
    }

    @Override
    public void recordCircuitReset(String provider) {
        Counter.builder(CIRCUIT_RESETS)
                .description("Provider circuits reset through POST /v1/providers/{name}/circuit/reset, by provider")
                .tags("provider", provider)
                .register(registry)
                .increment();
    }

    @Override
    public void recordSettingChange(String setting) {
        Counter.builder(SETTING_CHANGES)
                .description("Settings changed through PUT /v1/settings/{setting} and PUT /safety/settings, by setting")
                .tags("setting", setting)
                .register(registry)
                .increment();
    }

    @Override
    public void recordInjectionScore(String source, double score) {
        DistributionSummary.builder(INJECTION_SCORE)
                .description("Prompt-injection scores (0..1) of screened requests, by source (prompt, tool, retrieved)")
                .tags("source", source)
                .register(registry)
                .record(score);
    }

    @Override
    public void recordInjectionFlagged(String mode, String source) {
        Counter.builder(INJECTION_FLAGGED)
                .description(
                        "Requests whose source scored at or above the prompt-injection threshold, by mode and source")
                .tags("mode", mode, "source", source)
                .register(registry)
                .increment();
    }

    @Override
    public void recordInjectionBlocked(String source) {
        Counter.builder(INJECTION_BLOCKED)
                .description(
                        "Requests refused in injection mode block, by the source that scored at or above the threshold")
                .tags("source", source)
                .register(registry)
                .increment();
    }

    private void count(String provider, String model, String direction, long tokens) {
        if (tokens > 0) {
            Counter.builder(TOKENS)
                    .description("Tokens sent to (input) and received from (output) providers")
                    .baseUnit("tokens")
                    .tags("provider", provider, "model", model, "direction", direction)
                    .register(registry)
                    .increment(tokens);
        }
    }
}
