package dev.devloop.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A key pair made for this run; the gateway trusts its public half, and tokens are signed here with
 * the private half exactly as RFC 7515 says (RS256), like any external identity provider would.
 */
final class TestTokens {
    static final String ISSUER = "https://devloop.local/issuer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private final KeyPair keys;
    final Path publicKeyPem;

    TestTokens(Path dir) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.keys = generator.generateKeyPair();
        Files.createDirectories(dir);
        this.publicKeyPem = dir.resolve("jwt-public.pem");
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(publicKeyPem, pem);
    }

    String token(String tenant, String... roles) {
        long now = Instant.now().getEpochSecond();
        return sign(tenant, now, now + 600, roles);
    }

    String expiredToken(String tenant, String... roles) {
        long now = Instant.now().getEpochSecond();
        return sign(tenant, now - 7200, now - 3600, roles);
    }

    private String sign(String tenant, long issuedAt, long expiresAt, String... roles) {
        ObjectNode header =
                JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT").put("kid", "scenario");
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", ISSUER)
                .put("aud", "devloop")
                .put("sub", "scenario-user")
                .put("upn", "scenario-user")
                .put("tenant", tenant)
                .put("iat", issuedAt)
                .put("nbf", issuedAt)
                .put("exp", expiresAt)
                .put("jti", UUID.randomUUID().toString());
        var groups = claims.putArray("groups");
        for (String role : roles) {
            groups.add(role);
        }
        String signingInput = b64(header.toString()) + "." + b64(claims.toString());
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
