package dev.devloop.gateway.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** A tenant's webhook subscription: where to POST which event types, signed with {@code secret}. */
public record Webhook(String id, String tenant, String url, Set<String> eventTypes, String secret, Instant createdAt) {
    public Webhook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        eventTypes = Set.copyOf(eventTypes);
    }

    /** True when this subscription wants events of {@code type}. */
    public boolean wants(String type) {
        return eventTypes.contains(type);
    }
}
