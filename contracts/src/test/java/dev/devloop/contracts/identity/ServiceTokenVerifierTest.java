package dev.devloop.contracts.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceTokenVerifierTest {
    @TempDir
    Path dir;

    private ServiceTokens signer(String service) {
        return new ServiceTokens(ServiceKeys.open(dir, service, true), "devloop-cell", Duration.ofSeconds(60));
    }

    private ServiceTokenVerifier verifier(String service) {
        return new ServiceTokenVerifier(ServiceKeys.open(dir, service, true), "devloop-cell", service);
    }

    @Test
    void aTokenForThisServiceCarriesTheCallersTenantSubjectAndRoles() {
        ServiceTokens gateway = signer("api-gateway");
        ServiceTokenVerifier tools = verifier("tool-service");

        CallerIdentity caller =
                tools.verify(gateway.bearer("tool-service", "acme", "alice", List.of("developer", "viewer")));

        assertThat(caller)
                .isEqualTo(new CallerIdentity("api-gateway", "acme", "alice", List.of("developer", "viewer")));
    }

    @Test
    void aTokenIsSignedOncePerGrantAndReused() {
        ServiceTokens gateway = signer("api-gateway");
        assertThat(gateway.token("tool-service", "acme", "alice", List.of()))
                .isEqualTo(gateway.token("tool-service", "acme", "alice", List.of()))
                .isNotEqualTo(gateway.token("tool-service", "other", "alice", List.of()));
    }

    @Test
    void aTokenForAnotherServiceIsForbidden() {
        ServiceTokens gateway = signer("api-gateway");
        ServiceTokenVerifier tools = verifier("tool-service");

        assertThatThrownBy(() -> tools.verify(gateway.bearer("knowledge-service", "acme", "alice", List.of())))
                .isInstanceOfSatisfying(
                        IdentityRefusal.class, r -> assertThat(r.status()).isEqualTo(403));
    }

    @Test
    void noCredentialOrAnotherSchemeIsUnauthenticated() {
        ServiceTokenVerifier tools = verifier("tool-service");

        for (String header : new String[] {null, "", "Basic YTpi", "Bearer not.a.token"}) {
            assertThatThrownBy(() -> tools.verify(header))
                    .isInstanceOfSatisfying(
                            IdentityRefusal.class, r -> assertThat(r.status()).isEqualTo(401));
        }
    }

    @Test
    void aKeyOutsideTheCellsKeySetIsRefused() throws Exception {
        ServiceTokenVerifier tools = verifier("tool-service");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        ServiceTokens stranger = new ServiceTokens(
                ServiceKeys.open(elsewhere, "api-gateway", true), "devloop-cell", Duration.ofSeconds(60));

        assertThatThrownBy(() -> tools.verify(stranger.bearer("tool-service", "acme", "mallory", List.of())))
                .isInstanceOfSatisfying(
                        IdentityRefusal.class, r -> assertThat(r.status()).isEqualTo(401));
    }

    @Test
    void aServiceCannotSpeakForAnotherWithItsOwnKey() throws Exception {
        ServiceKeys agentKeys = ServiceKeys.open(dir, "agent-service", true);
        ServiceTokenVerifier tools = verifier("tool-service");
        JwtClaims claims = claims("tool-service", 60);
        claims.setClaim("azp", "api-gateway");

        assertThatThrownBy(() -> tools.verify("Bearer " + sign(claims, agentKeys.signingKey())))
                .isInstanceOfSatisfying(
                        IdentityRefusal.class, r -> assertThat(r.getMessage()).contains("azp"));
    }

    @Test
    void aLongLivedTokenOrGroupsThatAreNotAnArrayOrAnHmacTokenIsRefused() throws Exception {
        ServiceKeys gatewayKeys = ServiceKeys.open(dir, "api-gateway", true);
        ServiceTokenVerifier tools = verifier("tool-service");

        JwtClaims longLived = claims("tool-service", 3_600);
        JwtClaims groupsString = claims("tool-service", 60);
        groupsString.setClaim("groups", "admin");
        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(claims("tool-service", 60).toJson());
        hmac.setKeyIdHeaderValue(gatewayKeys.signingKey().getKeyId());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(new byte[32]));

        for (String token : List.of(
                sign(longLived, gatewayKeys.signingKey()),
                sign(groupsString, gatewayKeys.signingKey()),
                hmac.getCompactSerialization())) {
            assertThatThrownBy(() -> tools.verify("Bearer " + token))
                    .isInstanceOfSatisfying(
                            IdentityRefusal.class, r -> assertThat(r.status()).isEqualTo(401));
        }
    }

    @Test
    void aKeyPublishedAfterStartIsTrustedWithoutARestart() {
        ServiceTokenVerifier tools = verifier("tool-service");
        ServiceTokens newcomer = signer("provider-gateway");

        assertThat(tools.verify(newcomer.bearer("tool-service", "acme", "run-1", List.of()))
                        .service())
                .isEqualTo("provider-gateway");
    }

    @Test
    void aRotatedSigningKeyIsPickedUpFromItsFile() throws Exception {
        ServiceKeys keys = ServiceKeys.open(dir, "agent-service", true);
        String before = keys.signingKey().getKeyId();
        Path rotated = Files.createDirectories(dir.resolve("next"));
        PublicJsonWebKey next = ServiceKeys.createKey(rotated, "agent-service");
        Files.writeString(
                keys.privateKeyFile(), next.toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        Files.setLastModifiedTime(
                keys.privateKeyFile(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Thread.sleep(1_100);

        assertThat(keys.signingKey().getKeyId()).isNotEqualTo(before).isEqualTo(next.getKeyId());
    }

    private static JwtClaims claims(String audience, long lifetimeSeconds) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("devloop-cell");
        claims.setAudience(audience);
        claims.setSubject("someone");
        claims.setClaim("azp", "api-gateway");
        claims.setClaim("tenant", "acme");
        NumericDate now = NumericDate.now();
        claims.setIssuedAt(now);
        claims.setExpirationTime(NumericDate.fromSeconds(now.getValue() + lifetimeSeconds));
        return claims;
    }

    private static String sign(JwtClaims claims, PublicJsonWebKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }
}
