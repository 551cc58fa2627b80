package dev.devloop.knowledge.application;

import dev.devloop.contracts.Headers;
import dev.devloop.contracts.Tenants;
import dev.devloop.knowledge.ports.in.KnowledgeRefusal;

/**
 * The use cases' own tenant check. The REST edge hands them the verified caller's tenant, but the Kafka edge hands
 * them an event's attribute and any caller of a port may pass anything: a blank or malformed tenant is refused as
 * {@link KnowledgeRefusal.Reason#INVALID} naming {@code X-Devloop-Tenant} (a 400 at the REST edge, a dead letter at
 * the Kafka edge), never used as a key prefix.
 */
public final class KnowledgeTenants {
    private KnowledgeTenants() {}

    public static String checked(String tenant) {
        if (tenant == null || tenant.isBlank()) {
            throw KnowledgeRefusal.invalid(Headers.TENANT, "a tenant is required");
        }
        if (!Tenants.PATTERN.matcher(tenant).matches()) {
            throw KnowledgeRefusal.invalid(Headers.TENANT, "tenant must match " + Tenants.PATTERN.pattern());
        }
        return tenant;
    }
}
