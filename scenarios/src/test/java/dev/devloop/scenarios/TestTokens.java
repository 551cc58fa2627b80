package dev.devloop.scenarios;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/** A key pair made for this run; the gateway trusts its public half, tests sign tokens with the private one. */
final class TestTokens {
  static final String ISSUER = "https://devloop.local/issuer";
  private final KeyPair keys;
  final Path publicKeyPem;

  TestTokens(Path dir) throws NoSuchAlgorithmException, IOException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    this.keys = generator.generateKeyPair();
    Files.createDirectories(dir);
    this.publicKeyPem = dir.resolve("jwt-public.pem");
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    Files.writeString(publicKeyPem, pem);
  }

  String token(String tenant, String... roles) {
    return Jwt.issuer(ISSUER).audience("devloop").subject("scenario-user").upn("scenario-user")
        .groups(Set.of(roles)).claim("tenant", tenant)
        .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(600))
        .jws().keyId("scenario").sign(keys.getPrivate());
  }

  String expiredToken(String tenant, String... roles) {
    return Jwt.issuer(ISSUER).audience("devloop").subject("scenario-user")
        .groups(Set.of(roles)).claim("tenant", tenant)
        .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
        .jws().keyId("scenario").sign(keys.getPrivate());
  }
}
