package dev.devloop.provider.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Refuses a tenant's provider calls (429 {@code budget-exceeded}) once it has spent its monthly budget. */
final class BudgetCheck {
    private static final Logger LOG = Logger.getLogger(BudgetCheck.class);

    private final GatewayPolicies policies;
    private final ProviderMetricsPort metrics;
    private final Clock clock;

    BudgetCheck(GatewayPolicies policies, ProviderMetricsPort metrics, Clock clock) {
        this.policies = policies;
        this.metrics = metrics;
        this.clock = clock;
    }

    void check(String tenant) {
        Double budget = policies.budgetOf(tenant);
        if (budget == null) {
            return;
        }
        YearMonth month = YearMonth.now(clock);
        double spent = policies.spend().spent(tenant, month.toString());
        if (spent < budget) {
            return;
        }
        metrics.recordBudgetRejection();
        LogFields.of("tenant", tenant, "reason", "budget", "spentUsd", spent, "budgetUsd", budget)
                .warn(LOG, "generate rejected");
        throw new Refusal(
                Refusal.Reason.TOO_MANY,
                "budget-exceeded",
                "Budget exceeded",
                String.format(
                        Locale.ROOT,
                        "tenant '%s' has spent $%.4f of its monthly budget of $%.2f for %s; provider calls are refused until %s "
                                + "unless the budget is raised (devloop.provider.budgets.tenants.\"%s\")",
                        tenant,
                        spent,
                        budget,
                        month,
                        month.plusMonths(1).atDay(1),
                        tenant),
                null);
    }
}
