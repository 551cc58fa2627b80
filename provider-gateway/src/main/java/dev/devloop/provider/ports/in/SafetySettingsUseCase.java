package dev.devloop.provider.ports.in;

import dev.devloop.provider.domain.InjectionMode;
import dev.devloop.provider.domain.SafetyAudit;
import dev.devloop.provider.domain.SafetySettings;
import java.util.List;

/** Incoming port: a tenant's safety settings ({@code GET/PUT /safety/settings}) and their audit trail. */
public interface SafetySettingsUseCase {

    /** The tenant's current settings, read from the store (503 when it cannot be read). */
    SafetySettings settings(String tenant);

    /** A change: null fields are left as they are; at least one must be given. */
    record Patch(Boolean piiRedaction, InjectionMode injectionMode, String reason) {}

    /** The settings before and after a change. */
    record Change(String tenant, SafetySettings previous, SafetySettings current) {}

    /** Applies {@code patch} for {@code tenant}, recording {@code subject} in the audit trail. */
    Change update(String tenant, String subject, Patch patch);

    /** The tenant's latest changes, newest first. */
    List<SafetyAudit> audit(String tenant, int limit);
}
