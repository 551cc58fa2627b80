package dev.devloop.provider.application;

import dev.devloop.provider.domain.BulkheadLimit;
import dev.devloop.provider.domain.PriceTable;
import dev.devloop.provider.domain.RetryPolicy;
import dev.devloop.provider.domain.Route;
import dev.devloop.provider.ports.out.SpendPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The gateway's policies around provider calls: alias fallback chains, retry, bulkhead, prices,
 * budgets and PII redaction. {@link #NONE} turns them all off.
 */
public record GatewayPolicies(
        Map<String, List<Route>> aliases,
        RetryPolicy retry,
        int bulkheadMaxConcurrent,
        PriceTable prices,
        Map<String, Double> tenantBudgets,
        Double defaultBudget,
        SpendPort spend,
        Set<String> redactTenants,
        RetryWaits retryWaits,
        DoubleSupplier random,
        Map<String, BulkheadLimit> bulkheads,
        Map<String, RetryPolicy> retries) {

    /** Told each retry's wait just before SmallRye waits it (tests record the waits; production ignores them). */
    public interface RetryWaits {
        void waiting(String provider, Duration delay);
    }

    public static final SpendPort NO_SPEND = new SpendPort() {
        @Override
        public double spent(String tenant, String period) {
            return 0;
        }

        @Override
        public void add(String tenant, String period, double usd) {}
    };

    public static final GatewayPolicies NONE = new GatewayPolicies(
            Map.of(),
            RetryPolicy.NONE,
            Integer.MAX_VALUE,
            PriceTable.EMPTY,
            Map.of(),
            null,
            NO_SPEND,
            Set.of(),
            (provider, delay) -> {},
            () -> ThreadLocalRandom.current().nextDouble(),
            Map.of(),
            Map.of());

    public GatewayPolicies {
        aliases = Map.copyOf(aliases);
        bulkheads = Map.copyOf(bulkheads);
        retries = Map.copyOf(retries);
        tenantBudgets = Map.copyOf(tenantBudgets);
        redactTenants = Set.copyOf(redactTenants);
    }

    /** These policies with {@code bulkheads} as the providers' own bulkheads. */
    public GatewayPolicies withBulkheads(Map<String, BulkheadLimit> bulkheads) {
        return new GatewayPolicies(
                aliases,
                retry,
                bulkheadMaxConcurrent,
                prices,
                tenantBudgets,
                defaultBudget,
                spend,
                redactTenants,
                retryWaits,
                random,
                bulkheads,
                retries);
    }

    /**
     * The bulkhead of {@code provider}: its own size when one is configured
     * ({@code devloop.provider.<p>.bulkhead.*}), else the global {@code devloop.provider.bulkhead.*}.
     */
    public BulkheadLimit bulkheadOf(String provider) {
        BulkheadLimit own = bulkheads.get(provider);
        return own != null ? own : new BulkheadLimit(bulkheadMaxConcurrent, "devloop.provider.bulkhead.max-concurrent");
    }

    /** The retry policy of {@code provider}: its own when configured, else the global one. */
    public RetryPolicy retryOf(String provider) {
        return retries.getOrDefault(provider, retry);
    }

    /** The budget of a tenant in USD per month, or null for unlimited. */
    public Double budgetOf(String tenant) {
        Double b = tenantBudgets.get(tenant);
        return b != null ? b : defaultBudget;
    }
}
