package dev.devloop.provider.application;

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
    Duration bulkheadMaxWait,
    PriceTable prices,
    Map<String, Double> tenantBudgets,
    Double defaultBudget,
    SpendPort spend,
    Set<String> redactTenants,
    Sleeper sleeper,
    DoubleSupplier random) {

  /** Waits between retries; tests substitute one that records instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
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
      Map.of(), RetryPolicy.NONE, Integer.MAX_VALUE, Duration.ZERO, PriceTable.EMPTY, Map.of(), null, NO_SPEND, Set.of(),
      d -> Thread.sleep(d.toMillis()), () -> ThreadLocalRandom.current().nextDouble());

  public GatewayPolicies {
    aliases = Map.copyOf(aliases);
    tenantBudgets = Map.copyOf(tenantBudgets);
    redactTenants = Set.copyOf(redactTenants);
  }

  /** The budget of a tenant in USD per month, or null for unlimited. */
  public Double budgetOf(String tenant) {
    Double b = tenantBudgets.get(tenant);
    return b != null ? b : defaultBudget;
  }
}
