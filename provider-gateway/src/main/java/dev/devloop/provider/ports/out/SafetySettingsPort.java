package dev.devloop.provider.ports.out;

import dev.devloop.provider.domain.SafetyAudit;
import dev.devloop.provider.domain.SafetySettings;
import java.util.List;
import java.util.Optional;

/** Outgoing port to the durable store of per-tenant safety settings and their audit trail. Failures propagate. */
public interface SafetySettingsPort {

    /** The tenant's stored settings, empty when it runs on the defaults. */
    Optional<SafetySettings> load(String tenant);

    /** Stores the tenant's settings and returns what they replaced (atomically), empty when there were none. */
    Optional<SafetySettings> put(String tenant, SafetySettings settings);

    /** Appends one audit entry. */
    void audit(SafetyAudit entry);

    /** The tenant's latest audit entries, newest first, at most {@code limit}. */
    List<SafetyAudit> audit(String tenant, int limit);
}
