package dev.devloop.gateway.ports.out;

import dev.devloop.gateway.domain.Webhook;
import java.util.List;
import java.util.Optional;

/** Outgoing port: webhook subscriptions, always scoped by tenant. */
public interface WebhookStorePort {

    void save(Webhook webhook);

    List<Webhook> list(String tenant, int limit);

    long count(String tenant);

    Optional<Webhook> find(String tenant, String id);

    boolean delete(String tenant, String id);

    /** The tenant's webhooks that want events of {@code eventType}. */
    List<Webhook> subscribedTo(String tenant, String eventType, int limit);
}
