package dev.devloop.provider.ports.in;

import java.util.Map;

/** Reads and changes a tenant's runtime settings ({@code GET /v1/settings}, {@code PUT /v1/settings/{setting}}). */
public interface RuntimeSettingsUseCase {

    /** A change as answered: the previous and the new effective value. */
    record Change(String setting, String tenant, Object previous, Object value) {}

    /** Every setting's effective value for the tenant (stored override, else the configured default). */
    Map<String, Object> settings(String tenant);

    /**
     * Validates and stores one setting for the tenant. Throws {@link dev.devloop.contracts.problem.Refusal}: NOT_FOUND (404) for an
     * unknown setting, INVALID (400, {@code field=value}) for a wrong type or range, UNAVAILABLE (503) when the store
     * is down.
     */
    Change update(String tenant, String setting, Object value, String reason, String agentId);
}
