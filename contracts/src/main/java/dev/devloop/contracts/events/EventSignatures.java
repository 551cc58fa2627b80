package dev.devloop.contracts.events;

import dev.devloop.contracts.Tenants;
import dev.devloop.contracts.identity.CellKeyResolver;
import dev.devloop.contracts.identity.ServiceKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Who produced a Kafka record, proven with the cell's service keys (the same keys as the per-hop tokens).
 *
 * <ul>
 *   <li>A cell member signs each record it produces: header {@link #SIGNATURE_HEADER}, an ES256 JWS whose claims
 *       bind the producer ({@code azp}), the logical topic ({@code aud}), the event's tenant and id, and the SHA-256
 *       of the record value. It has no expiry, so a dead letter replayed days later still verifies; consumers are
 *       idempotent by event id, so a replayed record changes nothing.
 *   <li>A producer outside the cell sends header {@link #GRANT_HEADER}: a grant api-gateway signed for one tenant
 *       and one grantable topic, with an expiry. Its records carry that tenant or are refused.
 * </ul>
 *
 * A consumer accepts a record only when its producer may send on that topic ({@link EventProducers}) and the
 * event's {@code tenant} attribute is the one the signature or grant names.
 */
public final class EventSignatures {
    public static final String SIGNATURE_HEADER = "devloop-signature";
    public static final String GRANT_HEADER = "devloop-grant";
    public static final String GRANT_ISSUER = "api-gateway";
    public static final Duration MAX_GRANT_LIFETIME = Duration.ofDays(90);

    private static final String DIGEST_CLAIM = "dig";
    private static final String TENANT_CLAIM = "tenant";
    private static final String EVENT_CLAIM = "eid";
    private static final String KIND_CLAIM = "kind";
    private static final String GRANT_KIND = "event-grant";
    private static final int MAX_HEADER_LENGTH = 4096;

    private final ServiceKeys keys;
    private final String issuer;
    private final JwtConsumer consumer;

    public EventSignatures(ServiceKeys keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
        this.consumer = new JwtConsumerBuilder()
                .setRequireIssuedAt()
                .setAllowedClockSkewInSeconds(60)
                .setExpectedIssuer(issuer)
                .setSkipDefaultAudienceValidation()
                .setJwsAlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver(new CellKeyResolver(keys))
                .build();
    }

    /** The {@link #SIGNATURE_HEADER} value for a record this service produces on {@code topic}. */
    public String sign(String topic, String tenant, String eventId, String value) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setClaim("azp", keys.service());
        claims.setAudience(topic);
        claims.setClaim(TENANT_CLAIM, tenant);
        claims.setClaim(EVENT_CLAIM, eventId);
        claims.setClaim(DIGEST_CLAIM, digest(value));
        claims.setIssuedAt(NumericDate.now());
        return compact(claims);
    }

    /**
     * A grant for producers outside the cell: records on {@code topic} for {@code tenant} until it expires. Only
     * api-gateway's grants are honoured.
     */
    public String grant(String topic, String tenant, String subject, Duration lifetime) {
        return issueGrant(topic, tenant, subject, lifetime).token();
    }

    /** A grant as issued: the {@link #GRANT_HEADER} value, its id (to revoke it by) and its expiry. */
    public record IssuedGrant(String token, String id, Instant expiresAt) {}

    /** As {@link #grant}, with the id and expiry the issuer keeps to list and revoke it. */
    public IssuedGrant issueGrant(String topic, String tenant, String subject, Duration lifetime) {
        if (!EventProducers.grantable(topic)) {
            throw new IllegalArgumentException("topic " + topic + " takes no producer grants");
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_GRANT_LIFETIME) > 0) {
            throw new IllegalArgumentException("a grant lives at most " + MAX_GRANT_LIFETIME.toDays() + " days");
        }
        String id = UUID.randomUUID().toString();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setClaim("azp", keys.service());
        claims.setClaim(KIND_CLAIM, GRANT_KIND);
        claims.setAudience(topic);
        claims.setClaim(TENANT_CLAIM, Tenants.requireEventAttribute(tenant));
        claims.setSubject(subject);
        claims.setJwtId(id);
        NumericDate now = NumericDate.now();
        long expires = now.getValue() + lifetime.toSeconds();
        claims.setIssuedAt(now);
        claims.setExpirationTime(NumericDate.fromSeconds(expires));
        return new IssuedGrant(compact(claims), id, Instant.ofEpochSecond(expires));
    }

    /**
     * Who produced this record on logical {@code topic}: the signing service, or {@code grant:<subject>}. Refuses
     * an unsigned record, a signature or grant that does not verify or match the record, and a producer that may
     * not send there or for that tenant.
     */
    public String verify(String topic, CloudEvent event, String value, String signature, String grant) {
        return verify(topic, event, value, signature, grant, GrantRevocations.NONE);
    }

    /** As {@link #verify(String, CloudEvent, String, String, String)}, also refusing a grant in {@code revocations}. */
    public String verify(
            String topic,
            CloudEvent event,
            String value,
            String signature,
            String grant,
            GrantRevocations revocations) {
        if (signature != null) {
            return verifySignature(topic, event, value, signature);
        }
        if (grant != null) {
            return verifyGrant(topic, event, grant, revocations);
        }
        throw new InvalidEventException(
                InvalidEventException.Kind.UNSIGNED,
                "event " + event.id() + " on " + topic + " has neither a " + SIGNATURE_HEADER + " nor a " + GRANT_HEADER
                        + " header");
    }

    private String verifySignature(String topic, CloudEvent event, String value, String signature) {
        Checked checked = check(signature);
        JwtClaims claims = checked.claims();
        try {
            String producer = checked.producer();
            if (GRANT_KIND.equals(claims.getStringClaimValue(KIND_CLAIM))) {
                throw forged("a grant is not a record signature");
            }
            if (!claims.getAudience().contains(topic)) {
                throw forged("event " + event.id() + " was signed for another topic than " + topic);
            }
            if (!digest(value).equals(claims.getStringClaimValue(DIGEST_CLAIM))) {
                throw forged("event " + event.id() + " does not match its signature (the record was changed)");
            }
            if (!event.id().equals(claims.getStringClaimValue(EVENT_CLAIM))
                    || !event.tenant().equals(claims.getStringClaimValue(TENANT_CLAIM))) {
                throw forged("event " + event.id() + ": id or tenant differ from the signed ones");
            }
            if (!EventProducers.mayProduce(producer, topic)) {
                throw new InvalidEventException(
                        InvalidEventException.Kind.NOT_ALLOWED,
                        producer + " may not produce on " + topic + " (producers: " + EventProducers.producers(topic)
                                + ")");
            }
            return producer;
        } catch (MalformedClaimException e) {
            throw forged("a claim of the signature is malformed: " + e.getMessage());
        }
    }

    private String verifyGrant(String topic, CloudEvent event, String grant, GrantRevocations revocations) {
        Checked checked = check(grant);
        JwtClaims claims = checked.claims();
        try {
            if (!GRANT_KIND.equals(claims.getStringClaimValue(KIND_CLAIM))
                    || !GRANT_ISSUER.equals(checked.producer())) {
                throw forged("the " + GRANT_HEADER + " header is not a grant issued by " + GRANT_ISSUER);
            }
            if (claims.getExpirationTime() == null || claims.getExpirationTime().isBefore(NumericDate.now())) {
                throw forged("the producer grant has expired");
            }
            if (!claims.getAudience().contains(topic) || !EventProducers.grantable(topic)) {
                throw new InvalidEventException(
                        InvalidEventException.Kind.NOT_ALLOWED, "the producer grant does not cover topic " + topic);
            }
            String granted = claims.getStringClaimValue(TENANT_CLAIM);
            if (!event.tenant().equals(granted)) {
                throw new InvalidEventException(
                        InvalidEventException.Kind.NOT_ALLOWED,
                        "event " + event.id() + " names tenant '" + event.tenant()
                                + "' in its CloudEvent attribute 'tenant', but its grant is for tenant '" + granted
                                + "'");
            }
            String grantId = claims.getJwtId();
            if (grantId != null && revocations.revoked(grantId)) {
                throw new InvalidEventException(
                        InvalidEventException.Kind.REVOKED,
                        "the producer grant " + grantId + " of tenant '" + granted + "' was revoked");
            }
            return "grant:" + claims.getSubject();
        } catch (MalformedClaimException e) {
            throw forged("a claim of the grant is malformed: " + e.getMessage());
        }
    }

    private record Checked(JwtClaims claims, String producer) {}

    private Checked check(String jws) {
        if (jws.length() > MAX_HEADER_LENGTH) {
            throw forged("the signature header is longer than " + MAX_HEADER_LENGTH + " characters");
        }
        try {
            JwtContext context = consumer.process(jws);
            String kid = context.getJoseObjects().get(0).getKeyIdHeaderValue();
            String azp = context.getJwtClaims().getStringClaimValue("azp");
            if (azp == null || !azp.equals(ServiceKeys.owner(kid))) {
                throw forged("the signer (azp) must be the service that owns key " + kid);
            }
            return new Checked(context.getJwtClaims(), azp);
        } catch (InvalidJwtException e) {
            String reason = e.getErrorDetails().isEmpty()
                    ? "malformed"
                    : e.getErrorDetails().get(0).getErrorMessage();
            throw forged("the signature does not verify: " + reason);
        } catch (MalformedClaimException e) {
            throw forged("a claim of the signature is malformed: " + e.getMessage());
        }
    }

    private String compact(JwtClaims claims) {
        return ServiceKeys.sign(keys.signingKey(), claims);
    }

    static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static InvalidEventException forged(String message) {
        return new InvalidEventException(InvalidEventException.Kind.FORGED, message);
    }
}
