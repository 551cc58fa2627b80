package dev.devloop.gateway.support;

import dev.devloop.contracts.identity.ServiceKeys;
import dev.devloop.contracts.identity.testing.TestCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Reads the token the gateway put on a hop the way the sibling does: ES256 signature checked against the cell's
 * key set ({@code jwks.json} of the shared key dir), issuer {@code devloop-cell}, audience the sibling, not
 * expired; returns its claims.
 */
public final class SiblingTokens {
    private SiblingTokens() {}

    /** The verified claims of {@code authorization} ({@code Bearer <token>}) for a call to {@code audience}. */
    public static JwtClaims verified(String authorization, String audience) {
        return verified(authorization, audience, TestCredentials.keyDir());
    }

    public static JwtClaims verified(String authorization, String audience, Path keyDir) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new AssertionError("not a Bearer credential: " + authorization);
        }
        try {
            JsonWebKeySet cell = new JsonWebKeySet(Files.readString(keyDir.resolve(ServiceKeys.KEY_SET)));
            return new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireIssuedAt()
                    .setRequireSubject()
                    .setExpectedIssuer("devloop-cell")
                    .setExpectedAudience(audience)
                    .setJwsAlgorithmConstraints(
                            AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(cell.getJsonWebKeys()))
                    .build()
                    .processToClaims(authorization.substring("Bearer ".length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JoseException | InvalidJwtException e) {
            throw new AssertionError("the hop's token does not verify for " + audience + ": " + e.getMessage(), e);
        }
    }
}
