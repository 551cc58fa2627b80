package dev.devloop.provider.ports.out;

/** Outgoing port: a tenant's spend per period (e.g. {@code 2026-11}) in USD, for budgets. */
public interface SpendPort {

    /** USD spent by the tenant in the period; 0 when unknown (a store failure reads as 0 and is logged). */
    double spent(String tenant, String period);

    /**
     * Adds to the tenant's spend in the period: {@link #spent} counts it once this returns; never fails the call it
     * describes.
     */
    void add(String tenant, String period, double usd);

    /**
     * Adds without waiting for the store, for tenants no budget applies to (nothing reads their spend before the
     * next call); the default waits like {@link #add}.
     */
    default void addLater(String tenant, String period, double usd) {
        add(tenant, period, usd);
    }
}
