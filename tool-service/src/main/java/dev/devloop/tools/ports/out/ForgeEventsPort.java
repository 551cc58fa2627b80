package dev.devloop.tools.ports.out;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Outgoing port publishing a forge change as the GitHub-shaped CloudEvent on {@code devloop.forge.events}
 * (docs/delivery.md, "Forge events in"): type {@code dev.devloop.forge.github.<event>}, key and extension the
 * tenant, subject the repository's full name, data the webhook-shaped payload.
 */
public interface ForgeEventsPort {
    /** Publishes and waits for the broker; returns the event id. Failures are {@link DownstreamException}s. */
    String publish(String tenant, String subject, String event, JsonNode payload);
}
