package dev.devloop.provider.application;

import dev.devloop.contracts.logging.LogFields;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.provider.domain.SafetyAudit;
import dev.devloop.provider.domain.SafetySettings;
import dev.devloop.provider.ports.in.SafetySettingsUseCase;
import dev.devloop.provider.ports.out.ProviderMetricsPort;
import dev.devloop.provider.ports.out.SafetySettingsPort;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Per-tenant safety settings (PII redaction, prompt-injection mode) kept in a durable store (MongoDB) with an
 * audit entry per change, over the configured defaults (redaction on, mode {@code flag}). The generate path
 * reads them through a short per-replica memo ({@code memo}, at most {@code maxMemo} tenants, emptied when
 * full); a change applies at once on the replica that took it and within the memo elsewhere. A store that
 * cannot be read on the generate path yields the defaults, which are the safe side (redaction on).
 */
public final class SafetySettingsService implements SafetySettingsUseCase {
    private static final Logger LOG = Logger.getLogger(SafetySettingsService.class);

    public static final int MAX_REASON = 2000;
    public static final int MAX_SUBJECT = 256;

    private final SafetySettingsPort store;
    private final SafetySettings defaults;
    private final ProviderMetricsPort metrics;
    private final Clock clock;
    private final LongSupplier nanoClock;
    private final TenantMemo<SafetySettings> memo;
    private int maxAuditEntries = 200;

    /** {@code reloads} runs the reloads of stale memo entries off the model calls (null: the caller reloads; {@link TenantMemo}). */
    public SafetySettingsService(
            SafetySettingsPort store,
            SafetySettings defaults,
            ProviderMetricsPort metrics,
            Clock clock,
            Duration memo,
            int maxMemo,
            LongSupplier nanoClock,
            Executor reloads) {
        this.store = store;
        this.defaults = defaults;
        this.metrics = metrics;
        this.clock = clock;
        this.nanoClock = nanoClock;
        this.memo = TenantMemo.of(memo, maxMemo, reloads);
    }

    /** The most audit entries one read returns. */
    public int maxAuditEntries() {
        return maxAuditEntries;
    }

    /** Sets {@link #maxAuditEntries()} (configuration). */
    public SafetySettingsService withMaxAuditEntries(int max) {
        this.maxAuditEntries = max;
        return this;
    }

    /** The configured defaults every tenant starts from. */
    public SafetySettings defaults() {
        return defaults;
    }

    /**
     * The tenant's effective settings for a model call: memo (stale while it is reloaded, in the background when wired so), else store, else (store
     * down) the defaults, kept for one memo period.
     */
    public SafetySettings effective(String tenant) {
        return memo.get(tenant, nanoClock, this::loadOrDefaults);
    }

    private SafetySettings loadOrDefaults(String tenant) {
        try {
            return store.load(tenant).orElse(defaults);
        } catch (RuntimeException e) {
            LogFields.of(
                            "tenant", tenant,
                            "error", e.getClass().getSimpleName(),
                            "piiRedaction", defaults.piiRedaction(),
                            "injectionMode", defaults.injectionMode().wire())
                    .warn(LOG, "safety settings unreadable; using the configured defaults");
            // the safe defaults, not the stale settings, for one memo period: before, every call of the tenant waited
            // for the store's timeout while it was slow (381 timeouts of 2 s in 75 s under load, 2026-12-05)
            return defaults;
        }
    }

    @Override
    public SafetySettings settings(String tenant) {
        try {
            SafetySettings s = store.load(tenant).orElse(defaults);
            memo.remember(tenant, s, nanoClock.getAsLong());
            return s;
        } catch (RuntimeException e) {
            throw Refusals.unavailable(
                    "safety-settings-unavailable",
                    "the safety settings store (MongoDB) did not answer: "
                            + e.getClass().getSimpleName());
        }
    }

    @Override
    public Change update(String tenant, String subject, Patch patch) {
        if (subject == null || subject.isBlank()) {
            throw Refusal.invalid(
                    "X-Devloop-Subject",
                    "the X-Devloop-Subject header (who makes the change) is required: every change is audited");
        }
        if (subject.length() > MAX_SUBJECT) {
            throw Refusal.invalid("X-Devloop-Subject", "subject must be at most " + MAX_SUBJECT + " characters");
        }
        if (patch == null || patch.piiRedaction() == null && patch.injectionMode() == null) {
            throw Refusal.invalid("body", "give piiRedaction (boolean) and/or injectionMode (block, flag, off)");
        }
        if (patch.reason() != null && patch.reason().length() > MAX_REASON) {
            throw Refusal.invalid("reason", "reason must be at most " + MAX_REASON + " characters");
        }
        SafetySettings current = settings(tenant);
        SafetySettings next = new SafetySettings(
                patch.piiRedaction() != null ? patch.piiRedaction() : current.piiRedaction(),
                patch.injectionMode() != null ? patch.injectionMode() : current.injectionMode(),
                clock.instant(),
                subject);
        Optional<SafetySettings> before;
        try {
            before = store.put(tenant, next);
        } catch (RuntimeException e) {
            throw Refusals.unavailable(
                    "safety-settings-unavailable",
                    "the safety settings store (MongoDB) did not take the change: "
                            + e.getClass().getSimpleName());
        }
        memo.forget(tenant);
        SafetySettings previous = before.orElse(defaults);
        SafetyAudit entry = new SafetyAudit(
                UUID.randomUUID().toString(),
                tenant,
                subject,
                next.updatedAt(),
                previous.piiRedaction(),
                previous.injectionMode().wire(),
                next.piiRedaction(),
                next.injectionMode().wire(),
                patch.reason());
        try {
            store.audit(entry);
        } catch (RuntimeException e) {
            // the change is stored; the log line below is the audit record of last resort
            LogFields.of("tenant", tenant, "subject", subject)
                    .and("error", e.getClass().getSimpleName())
                    .error(LOG, null, "safety audit entry not written");
        }
        if (previous.piiRedaction() != next.piiRedaction()) {
            metrics.recordSettingChange("pii-redaction");
        }
        if (previous.injectionMode() != next.injectionMode()) {
            metrics.recordSettingChange("injection-mode");
        }
        LogFields.of(
                        "tenant", tenant,
                        "subject", subject,
                        "previousPiiRedaction", previous.piiRedaction(),
                        "piiRedaction", next.piiRedaction(),
                        "previousInjectionMode", previous.injectionMode().wire(),
                        "injectionMode", next.injectionMode().wire(),
                        // one line per change on the plain console too: a reason cannot forge a second line
                        "reason", patch.reason() == null ? null : patch.reason().replaceAll("[\\r\\n]+", " "))
                .warn(LOG, "safety settings changed");
        return new Change(tenant, previous, next);
    }

    @Override
    public List<SafetyAudit> audit(String tenant, int limit) {
        try {
            return store.audit(tenant, limit);
        } catch (RuntimeException e) {
            throw Refusals.unavailable(
                    "safety-settings-unavailable",
                    "the safety settings store (MongoDB) did not answer: "
                            + e.getClass().getSimpleName());
        }
    }
}
