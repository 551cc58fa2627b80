package dev.devloop.gateway.adapters.in.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.contracts.problem.Refusal;
import dev.devloop.gateway.adapters.in.ClaimText;
import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.Caller;
import dev.devloop.gateway.ports.in.CallerClaims;
import dev.devloop.gateway.ports.in.VerifiedCallers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The JWT parser Quarkus' bearer-token check uses, with a short memory of tokens it has verified (see
 * {@link VerifiedTokenCache}): a client sending the same token on every request pays for one RSA verification
 * per {@code devloop.gateway.jwt-cache.ttl}, not one per request. Tokens that fail are never remembered, so
 * every bad token is checked in full. Every other operation goes straight to smallrye-jwt's parser. The same memory
 * answers {@link VerifiedCallers} (the hot reads' way around the framework's authentication chain), with the caller
 * made from the claims once per verification.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser, VerifiedCallers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUPS = "groups";
    private final DefaultJWTParser delegate;
    /** A verified token and its caller (null: claims the edge refuses, so the full chain answers). */
    private record Verified(JsonWebToken jwt, Caller caller) {}

    private final VerifiedTokenCache<Verified> verified;
    private final Counter hits;
    private final Counter misses;

    public CachingJwtParser(DefaultJWTParser delegate, GatewayConfig config, MeterRegistry metrics) {
        this.delegate = delegate;
        this.verified = new VerifiedTokenCache<>(
                config.jwtCache().maxEntries(), config.jwtCache().ttl());
        this.hits = metrics.counter("devloop_gateway_jwt_cache_total", "result", "hit");
        this.misses = metrics.counter("devloop_gateway_jwt_cache_total", "result", "miss");
        metrics.gauge("devloop_gateway_jwt_cache_entries", verified, VerifiedTokenCache::size);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        Verified known = verified.get(token);
        if (known != null) {
            hits.increment();
            return known.jwt();
        }
        misses.increment();
        requireGroupsArray(token);
        JsonWebToken fresh = parseRefusingOddClaims(() -> delegate.parse(token));
        long exp = fresh.getExpirationTime();
        verified.put(token, new Verified(fresh, callerOf(fresh)), exp > 0 ? Instant.ofEpochSecond(exp) : null);
        return fresh;
    }

    @Override
    public Caller known(String token) {
        Verified known = verified.get(token);
        if (known == null || known.caller() == null) {
            return null;
        }
        hits.increment();
        return known.caller();
    }

    /** The caller the REST edge makes of these claims (as {@code TokenCallers}), or null when it would refuse them. */
    private static Caller callerOf(JsonWebToken jwt) {
        try {
            return CallerClaims.caller(
                    ClaimText.text(jwt.getClaim(CallerClaims.TENANT_CLAIM)), jwt.getSubject(), jwt.getGroups());
        } catch (Refusal refused) {
            return null;
        }
    }

    private interface Parse {
        JsonWebToken run() throws ParseException;
    }

    /** smallrye-jwt throws a ClassCastException on some odd claim shapes: a refusal (401), never a 500. */
    private static JsonWebToken parseRefusingOddClaims(Parse parse) throws ParseException {
        try {
            return parse.run();
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new ParseException("the token's claims have an unsupported shape", e);
        }
    }

    /**
     * Checked before the signature (an odd shape is refused either way; no claim is trusted by this check).
     * smallrye-jwt turns a {@code groups} claim that is a single string into a one-role set; a token whose
     * {@code groups} is anything but an array of strings is refused instead (401), so a role is only ever granted
     * by the shape the issuer documents. Once per token (cache misses only).
     */
    static void requireGroupsArray(String token) throws ParseException {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0) {
            return; // not a JWS: the delegate has refused it already
        }
        JsonNode groups;
        try {
            byte[] payload = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
            JsonNode claims = JSON.readTree(payload);
            groups = claims == null ? null : claims.get(GROUPS);
        } catch (IOException | IllegalArgumentException e) {
            throw new ParseException("the token's payload is not a JSON object");
        }
        if (groups == null || groups.isNull()) {
            return;
        }
        if (!groups.isArray()) {
            throw new ParseException("the 'groups' claim must be an array of strings");
        }
        for (JsonNode group : groups) {
            if (!group.isTextual()) {
                throw new ParseException("the 'groups' claim must be an array of strings");
            }
        }
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        requireGroupsArray(token);
        return parseRefusingOddClaims(() -> delegate.parse(token, context));
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }
}
