package dev.devloop.contracts.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.devloop.contracts.Tenants;
import java.time.Duration;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Verifies the token on an inbound internal call: ES256 only, a key of the cell's key set (by {@code kid}), the
 * cell's issuer, this service as audience (else 403), not expired, issued at most {@link #MAX_LIFETIME} before it
 * expires, an {@code azp} that owns the signing key, a well-formed tenant and a {@code groups} array. A verified
 * token is remembered until it expires, so a caller reusing its token costs one map lookup.
 */
public final class ServiceTokenVerifier {
    /** The longest lifetime a token may claim: a leaked token is worth little. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    private static final int CLOCK_SKEW_SECONDS = 30;

    private final ServiceKeys keys;
    private final String audience;
    private final JwtConsumer consumer;
    private final Cache<String, Verified> verified;

    private record Verified(CallerIdentity caller, long expiresAtMillis) {}

    public ServiceTokenVerifier(ServiceKeys keys, String issuer, String audience) {
        this.keys = keys;
        this.audience = audience;
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setMaxFutureValidityInMinutes((int) MAX_LIFETIME.toMinutes())
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setJwsAlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver(new CellKeyResolver(keys))
                .build();
        this.verified = Caffeine.newBuilder()
                .maximumSize(50_000)
                .expireAfter(new Expiry<String, Verified>() {
                    @Override
                    public long expireAfterCreate(String token, Verified value, long now) {
                        return Math.max(0, value.expiresAtMillis() - System.currentTimeMillis()) * 1_000_000L;
                    }

                    @Override
                    public long expireAfterUpdate(String token, Verified value, long now, long current) {
                        return current;
                    }

                    @Override
                    public long expireAfterRead(String token, Verified value, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    /** The caller of a request with this {@code Authorization} header value, or an {@link IdentityRefusal}. */
    public CallerIdentity verify(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw IdentityRefusal.unauthenticated("an internal call needs an Authorization: Bearer token");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() > 4096) {
            throw IdentityRefusal.unauthenticated("the Authorization header must be a Bearer token");
        }
        String token = authorization.substring(7).trim();
        Verified known = verified.getIfPresent(token);
        if (known != null && known.expiresAtMillis() > System.currentTimeMillis()) {
            return known.caller();
        }
        Verified fresh = check(token);
        verified.put(token, fresh);
        return fresh.caller();
    }

    private Verified check(String token) {
        try {
            JwtContext context = consumer.process(token);
            JwtClaims claims = context.getJwtClaims();
            String kid = context.getJoseObjects().get(0).getKeyIdHeaderValue();
            String azp = claims.getStringClaimValue("azp");
            if (azp == null || !azp.equals(ServiceKeys.owner(kid))) {
                throw IdentityRefusal.unauthenticated("the token's azp must be the service that owns key " + kid);
            }
            long lifetime =
                    claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
            if (lifetime > MAX_LIFETIME.toSeconds()) {
                throw IdentityRefusal.unauthenticated(
                        "the token lives " + lifetime + " s; at most " + MAX_LIFETIME.toSeconds() + " s is accepted");
            }
            String tenant = claims.getStringClaimValue(ServiceTokens.TENANT_CLAIM);
            if (tenant != null && !Tenants.PATTERN.matcher(tenant).matches()) {
                throw IdentityRefusal.unauthenticated("the token's tenant must match " + Tenants.PATTERN.pattern());
            }
            List<String> roles = claims.hasClaim(ServiceTokens.ROLES_CLAIM)
                    ? claims.getStringListClaimValue(ServiceTokens.ROLES_CLAIM)
                    : List.of();
            CallerIdentity caller = new CallerIdentity(azp, tenant, claims.getSubject(), roles);
            return new Verified(caller, claims.getExpirationTime().getValueInMillis());
        } catch (InvalidJwtException e) {
            if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                throw IdentityRefusal.wrongAudience("the token was not issued for " + audience);
            }
            if (e.hasExpired()) {
                throw IdentityRefusal.unauthenticated("the token has expired");
            }
            throw IdentityRefusal.unauthenticated("the token does not verify: " + firstReason(e));
        } catch (MalformedClaimException e) {
            throw IdentityRefusal.unauthenticated("a claim of the token is malformed: " + e.getMessage());
        }
    }

    private static String firstReason(InvalidJwtException e) {
        return e.getErrorDetails().isEmpty()
                ? "malformed"
                : e.getErrorDetails().get(0).getErrorMessage();
    }
}
