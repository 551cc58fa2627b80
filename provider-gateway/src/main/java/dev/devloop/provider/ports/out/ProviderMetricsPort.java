package dev.devloop.provider.ports.out;

import dev.devloop.contracts.provider.Usage;
import java.time.Duration;

/** Outgoing port recording per-call metrics (tokens, latency, outcome). */
public interface ProviderMetricsPort {

    /** Counts nothing: warm-up calls are not traffic, and tests that do not look at metrics use it. */
    ProviderMetricsPort NONE = new ProviderMetricsPort() {
        @Override
        public void recordCall(String provider, String model, String outcome, Duration elapsed, Usage usage) {}

        @Override
        public void recordCache(String provider, String model, String result) {}

        @Override
        public void recordCost(String provider, String model, double usd) {}

        @Override
        public void recordRetry(String provider, String kind) {}

        @Override
        public void recordFallback(String alias, String from, String to, String kind) {}

        @Override
        public void recordBulkheadRejection(String provider) {}

        @Override
        public void recordBudgetRejection() {}

        @Override
        public void recordRedactions(String kind, int count) {}

        @Override
        public void recordSettingChange(String setting) {}
    };

    /** Records one finished call; {@code outcome} is {@code success} or a failure kind in lower case. */
    void recordCall(String provider, String model, String outcome, Duration elapsed, Usage usage);

    /** Records one response-cache decision: {@code hit}, {@code miss} or {@code bypass}. */
    void recordCache(String provider, String model, String result);

    /** Adds the estimated cost of one call in USD. */
    void recordCost(String provider, String model, double usd);

    /** One retry of a failed call, by failure kind. */
    void recordRetry(String provider, String kind);

    /** A fallback from one provider of a chain to the next, by failure kind. */
    void recordFallback(String alias, String from, String to, String kind);

    /** A call refused because the provider's bulkhead was full. */
    void recordBulkheadRejection(String provider);

    /** A request refused because the tenant's budget is spent. */
    void recordBudgetRejection();

    /** Values masked by PII redaction, by kind. */
    void recordRedactions(String kind, int count);

    /** A runtime setting changed through {@code PUT /v1/settings/{setting}}. */
    void recordSettingChange(String setting);

    /** The prompt-injection score of one screened request's source ({@code prompt}, {@code tool}, {@code retrieved}). */
    default void recordInjectionScore(String source, double score) {}

    /** A request's source at or above the injection threshold, under mode {@code flag} or {@code block}. */
    default void recordInjectionFlagged(String mode, String source) {}

    /** A request refused in mode {@code block}, by the source that scored at or above the threshold. */
    default void recordInjectionBlocked(String source) {}

    /** A provider's circuit reset through {@code POST /v1/providers/{name}/circuit/reset}. */
    default void recordCircuitReset(String provider) {}
}
