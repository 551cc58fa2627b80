package dev.devloop.gateway.ports.in;

import java.time.Instant;

/**
 * A producer grant: {@code grant} is the value a tenant's own Kafka producer sends in header {@code header} on
 * records of {@code topic} for {@code tenant}, until {@code expiresAt} or until grant {@code id} is revoked.
 */
public record EventGrant(String id, String grant, String header, String topic, String tenant, Instant expiresAt) {}
