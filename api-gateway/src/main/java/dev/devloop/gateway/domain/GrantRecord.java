package dev.devloop.gateway.domain;

import java.time.Instant;

/**
 * What the gateway keeps of a producer grant it issued (never the grant itself): {@code subject} is who the grant
 * lets produce, {@code issuedBy} the admin who asked for it; {@code revokedAt}/{@code revokedBy} once revoked.
 */
public record GrantRecord(
        String id,
        String tenant,
        String subject,
        String topic,
        String issuedBy,
        Instant issuedAt,
        Instant expiresAt,
        Instant revokedAt,
        String revokedBy) {

    public boolean revoked() {
        return revokedAt != null;
    }

    public GrantRecord revoke(Instant at, String by) {
        return new GrantRecord(id, tenant, subject, topic, issuedBy, issuedAt, expiresAt, at, by);
    }
}
