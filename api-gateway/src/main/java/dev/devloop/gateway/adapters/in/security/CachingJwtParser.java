package dev.devloop.gateway.adapters.in.security;

import dev.devloop.gateway.config.GatewayConfig;
import dev.devloop.gateway.domain.VerifiedTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The JWT parser Quarkus' bearer-token check uses, with a short memory of tokens it has verified (see
 * {@link VerifiedTokens}): a client sending the same token on every request pays for one RSA verification
 * per {@code devloop.gateway.jwt-cache.ttl}, not one per request. Tokens that fail are never remembered, so
 * every bad token is checked in full. Every other operation goes straight to smallrye-jwt's parser.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser {
  private final DefaultJWTParser delegate;
  private final VerifiedTokens<JsonWebToken> verified;
  private final Counter hits;
  private final Counter misses;

  public CachingJwtParser(DefaultJWTParser delegate, GatewayConfig config, MeterRegistry metrics) {
    this.delegate = delegate;
    this.verified = new VerifiedTokens<>(config.jwtCache().maxEntries(), config.jwtCache().ttl());
    this.hits = metrics.counter("devloop_gateway_jwt_cache_total", "result", "hit");
    this.misses = metrics.counter("devloop_gateway_jwt_cache_total", "result", "miss");
    metrics.gauge("devloop_gateway_jwt_cache_entries", verified, VerifiedTokens::size);
  }

  @Override
  public JsonWebToken parse(String token) throws ParseException {
    Instant now = Instant.now();
    JsonWebToken known = verified.get(token, now);
    if (known != null) {
      hits.increment();
      return known;
    }
    misses.increment();
    JsonWebToken fresh = delegate.parse(token);
    long exp = fresh.getExpirationTime();
    verified.put(token, fresh, exp > 0 ? Instant.ofEpochSecond(exp) : null, now);
    return fresh;
  }

  @Override
  public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
    return delegate.parse(token, context);
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
