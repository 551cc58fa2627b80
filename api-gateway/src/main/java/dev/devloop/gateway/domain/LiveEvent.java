package dev.devloop.gateway.domain;

import java.util.Objects;

/**
 * One CloudEvent seen on a live channel: its id, type and tenant, and {@code json}, the event as it
 * arrived (the exact bytes webhooks sign and send).
 */
public record LiveEvent(String id, String type, String tenant, EventChannel channel, String json) {
    public LiveEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(json, "json");
    }
}
