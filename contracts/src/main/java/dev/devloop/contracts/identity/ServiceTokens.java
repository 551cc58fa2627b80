package dev.devloop.contracts.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * Signs the short-lived tokens this service sends to another: {@code iss} the cell, {@code azp} this service,
 * {@code aud} the target, and the tenant, subject and roles the call acts for. A token is reused for half its
 * lifetime, so the hot path signs once per (target, tenant, subject) every half minute, not per request.
 */
public final class ServiceTokens {
    public static final String TENANT_CLAIM = "tenant";
    public static final String ROLES_CLAIM = "groups";

    private final ServiceKeys keys;
    private final String issuer;
    private final Duration ttl;
    private final Cache<Grant, String> issued;

    private record Grant(String audience, String tenant, String subject, List<String> roles, String kid) {}

    public ServiceTokens(ServiceKeys keys, String issuer, Duration ttl) {
        if (ttl.compareTo(Duration.ofSeconds(5)) < 0 || ttl.compareTo(ServiceTokenVerifier.MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("devloop.identity.token-ttl must be between 5s and "
                    + ServiceTokenVerifier.MAX_LIFETIME.toSeconds() + "s");
        }
        this.keys = keys;
        this.issuer = issuer;
        this.ttl = ttl;
        this.issued = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(ttl.dividedBy(2))
                .build();
    }

    /** The value of an {@code Authorization} header for a call to {@code audience}. */
    public String bearer(String audience, String tenant, String subject, List<String> roles) {
        return "Bearer " + token(audience, tenant, subject, roles);
    }

    public String token(String audience, String tenant, String subject, List<String> roles) {
        PublicJsonWebKey key = keys.signingKey();
        Grant grant =
                new Grant(audience, tenant, subject, roles == null ? List.of() : List.copyOf(roles), key.getKeyId());
        return issued.get(grant, g -> sign(g, key));
    }

    private String sign(Grant grant, PublicJsonWebKey key) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(grant.audience());
        claims.setClaim("azp", keys.service());
        claims.setSubject(grant.subject() == null ? keys.service() : grant.subject());
        if (grant.tenant() != null) {
            claims.setClaim(TENANT_CLAIM, grant.tenant());
        }
        claims.setStringListClaim(ROLES_CLAIM, grant.roles());
        NumericDate now = NumericDate.now();
        claims.setIssuedAt(now);
        NumericDate expires = NumericDate.fromSeconds(now.getValue() + ttl.toSeconds());
        claims.setExpirationTime(expires);
        return ServiceKeys.sign(key, claims);
    }
}
