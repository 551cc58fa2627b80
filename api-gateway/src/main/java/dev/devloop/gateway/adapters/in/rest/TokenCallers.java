package dev.devloop.gateway.adapters.in.rest;

import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.adapters.in.Audit;
import dev.devloop.gateway.adapters.in.ClaimText;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.ports.in.CallerClaims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified token into a {@link Caller} ({@link CallerClaims}); a token without a usable tenant or subject
 * is refused (403, audited).
 */
public final class TokenCallers {

    private TokenCallers() {}

    public static Caller from(JsonWebToken jwt) {
        try {
            return CallerClaims.caller(
                    ClaimText.text(jwt.getClaim(CallerClaims.TENANT_CLAIM)), jwt.getSubject(), jwt.getGroups());
        } catch (Refusal e) {
            Audit.deny(403, "bad-claim", "claim", e.field(), "detail", e.detail());
            throw e;
        }
    }
}
