package dev.devloop.contracts.identity;

/**
 * A call refused for its credential: 401 when there is none or it does not verify (signature, issuer, expiry, key),
 * 403 when it verifies but was issued for another service.
 */
public final class IdentityRefusal extends RuntimeException {
    private final int status;

    private IdentityRefusal(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public static IdentityRefusal unauthenticated(String reason) {
        return new IdentityRefusal(401, reason);
    }

    public static IdentityRefusal wrongAudience(String reason) {
        return new IdentityRefusal(403, reason);
    }

    public int status() {
        return status;
    }
}
