package dev.devloop.gateway.ports.in;

/** One GitHub webhook request as received: the tenant of its URL, its headers and the raw body. */
public record GithubDelivery(String tenant, String deliveryId, String event, String signature, byte[] body) {}
