package dev.devloop.provider.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.provider.domain.CacheSettings;
import dev.devloop.provider.domain.RuntimeSetting;
import dev.devloop.provider.domain.TenantSettings;
import dev.devloop.provider.ports.in.RuntimeSettingsUseCase;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.TenantSettingsPort;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Per-tenant runtime settings kept in a shared store (Redis) so every replica applies a change,
 * defaulting to the configured values. Reads on the generate path go through a short in-process
 * memo ({@code memo}, bounded to {@code maxMemo} tenants, cleared when full): a change made on this
 * replica applies here at once, on other replicas within {@code memo}. A store that cannot be read
 * yields the configured defaults (logged); a change the store cannot take is a 503.
 */
public final class RuntimeSettingsService implements RuntimeSettingsUseCase {
    private static final Logger LOG = Logger.getLogger(RuntimeSettingsService.class);

    private final TenantSettingsPort store;
    private final CacheSettings defaults;
    private final ProviderMetricsPort metrics;
    private final LongSupplier nanoClock;
    private final TenantMemo<TenantSettings> memo;

    /** {@code reloads} runs the reloads of stale memo entries off the model calls (null: the caller reloads; {@link TenantMemo}). */
    public RuntimeSettingsService(
            TenantSettingsPort store,
            CacheSettings defaults,
            ProviderMetricsPort metrics,
            Duration memo,
            int maxMemo,
            LongSupplier nanoClock,
            Executor reloads) {
        this.store = store;
        this.defaults = defaults;
        this.metrics = metrics;
        this.nanoClock = nanoClock;
        this.memo = TenantMemo.of(memo, maxMemo, reloads);
    }

    /**
     * The tenant's effective settings, from the memo when fresh (or stale while it is reloaded, in the background when wired so), else from the
     * store (defaults if it fails).
     */
    public TenantSettings effective(String tenant) {
        return memo.get(tenant, nanoClock, this::loadOrDefaults);
    }

    private TenantSettings loadOrDefaults(String tenant) {
        try {
            return TenantSettings.of(defaults, store.load(tenant));
        } catch (RuntimeException e) {
            LogFields.of("tenant", tenant, "error", e.getClass().getSimpleName())
                    .warn(LOG, "runtime settings unreadable; using the configured defaults");
            return TenantSettings.of(defaults, Map.of());
        }
    }

    @Override
    public Map<String, Object> settings(String tenant) {
        TenantSettings current = read(tenant);
        Map<String, Object> out = new LinkedHashMap<>();
        for (RuntimeSetting s : RuntimeSetting.values()) {
            out.put(s.key(), current.value(s));
        }
        return out;
    }

    @Override
    public Change update(String tenant, String setting, Object value, String reason, String agentId) {
        RuntimeSetting s = RuntimeSetting.of(setting)
                .orElseThrow(() -> Refusals.notFound(
                        "unknown-setting",
                        "'" + setting + "' is not a runtime setting of provider-gateway; known: "
                                + RuntimeSetting.keys()));
        String canonical;
        try {
            canonical = s.canonical(value);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalid("value", e.getMessage());
        }
        Optional<String> before;
        try {
            before = store.put(tenant, s.key(), canonical);
        } catch (RuntimeException e) {
            throw Refusals.unavailable(
                    "settings-unavailable",
                    "the settings store (Redis) did not take the change: "
                            + e.getClass().getSimpleName());
        }
        memo.forget(tenant);
        Object previous = before.map(s::typed)
                .orElseGet(() -> TenantSettings.of(defaults, Map.of()).value(s));
        Object now = s.typed(canonical);
        metrics.recordSettingChange(s.key());
        LogFields.of(
                        "tenant", tenant,
                        "setting", s.key(),
                        "previous", previous,
                        "value", now,
                        "agentId", agentId,
                        "reason", reason == null ? null : reason.replaceAll("[\\r\\n]+", " "))
                .info(LOG, "runtime setting changed");
        return new Change(s.key(), tenant, previous, now);
    }

    /** A fresh read for the API (never the memo), failing with 503 when the store is down. */
    private TenantSettings read(String tenant) {
        try {
            TenantSettings settings = TenantSettings.of(defaults, store.load(tenant));
            memo.remember(tenant, settings, nanoClock.getAsLong());
            return settings;
        } catch (RuntimeException e) {
            throw Refusals.unavailable(
                    "settings-unavailable",
                    "the settings store (Redis) did not answer: " + e.getClass().getSimpleName());
        }
    }
}
