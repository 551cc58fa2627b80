package dev.devloop.gateway.ports.in;

import java.util.List;

/** A request to register a webhook for a tenant; {@code secret} may be null (one is generated). */
public record RegisterWebhookCommand(String tenant, String url, List<String> eventTypes, String secret) {}
