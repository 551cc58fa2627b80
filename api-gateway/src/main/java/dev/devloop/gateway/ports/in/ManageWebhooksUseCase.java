package dev.devloop.gateway.ports.in;

import dev.devloop.gateway.domain.DeliveryAttempt;
import dev.devloop.gateway.domain.Webhook;
import java.util.List;
import java.util.Optional;

/** Incoming port: a tenant's webhook subscriptions and their delivery log. */
public interface ManageWebhooksUseCase {

    /** Validates and stores a webhook; the returned one carries its secret (shown to the client once). */
    Webhook register(RegisterWebhookCommand command);

    /** The tenant's webhooks. */
    List<Webhook> list(String tenant);

    /** Deletes one of the tenant's webhooks; false when it has none with that id. */
    boolean delete(String tenant, String id);

    /** The latest delivery attempts of one of the tenant's webhooks, or empty when it has none with that id. */
    Optional<List<DeliveryAttempt>> deliveries(String tenant, String id);
}
