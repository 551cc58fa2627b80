package dev.devloop.gateway.support;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;

/** Test tokens: valid ones signed with the test key pair, and every kind of bad one. */
public final class Tokens {
    public static final String ISSUER = "https://devloop.local/issuer";
    public static final String AUDIENCE = "devloop";
    public static final String PRIVATE_KEY = "test-keys/jwt-private.pem";
    public static final String OTHER_PRIVATE_KEY = "test-keys/other-private.pem";
    public static final String PUBLIC_KEY = "test-keys/jwt-public.pem";

    private Tokens() {}

    /** A fresh tenant id, so reruns on shared servers never collide. */
    public static String newTenant() {
        return "t-" + UUID.randomUUID();
    }

    /** Claims of a valid token for {@code tenant} with {@code roles}; callers may change them before signing. */
    public static JwtClaimsBuilder claims(String tenant, String subject, String... roles) {
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .upn(subject)
                .groups(Set.of(roles))
                .issuedAt(Instant.now())
                .expiresIn(300);
        return tenant == null ? claims : claims.claim("tenant", tenant);
    }

    /** A valid RS256 token. */
    public static String valid(String tenant, String... roles) {
        return claims(tenant, "user-" + UUID.randomUUID(), roles).sign(PRIVATE_KEY);
    }

    /** A valid RS256 token for a given subject. */
    public static String validFor(String tenant, String subject, String... roles) {
        return claims(tenant, subject, roles).sign(PRIVATE_KEY);
    }

    /** Signed by a key the gateway does not trust. */
    public static String wrongSignature(String tenant, String... roles) {
        return claims(tenant, "mallory", roles).sign(OTHER_PRIVATE_KEY);
    }

    /** Unsigned, {@code alg=none}. */
    public static String algNone(String tenant, String... roles) {
        String signed = valid(tenant, roles);
        String payload = signed.split("\\.")[1];
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return header + "." + payload + ".";
    }

    /** HS256 with the RSA public key's PEM text as the HMAC secret: the classic key-confusion attack. */
    public static String hs256WithPublicKey(String tenant, String... roles) {
        byte[] pem = resource(PUBLIC_KEY);
        return claims(tenant, "mallory", roles)
                .jws()
                .algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(pem, "HmacSHA256"));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] resource(String name) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
