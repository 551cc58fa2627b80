package dev.devloop.provider.ports.out;

import java.util.Map;
import java.util.Optional;

/** Outgoing port to the shared store of per-tenant runtime settings (canonical text values). */
public interface TenantSettingsPort {

    /** The tenant's stored overrides by setting key; failures propagate. */
    Map<String, String> load(String tenant);

    /** Stores one value and returns the value it replaced (atomically); failures propagate. */
    Optional<String> put(String tenant, String setting, String value);
}
