package dev.devloop.contracts.events;

import java.time.Instant;

/**
 * The data of a {@link #TYPE} event: grant {@code grantId} of {@code tenant} is revoked; it would have expired at
 * {@code expiresAt}, after which the revocation need not be kept.
 */
public record GrantRevoked(String grantId, String tenant, String subject, Instant expiresAt, String revokedBy) {
    public static final String TYPE = "dev.devloop.grants.revoked";
}
