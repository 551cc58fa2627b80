package dev.devloop.knowledge.ports.in;

/**
 * Request to store a fact: the value as JSON text ({@code null} when missing) and an optional TTL in
 * seconds. Bounds depend on configuration, so the use case validates it.
 */
public record StoreFactCommand(String tenant, String entity, String attribute, String valueJson, Long ttlSeconds) {}
