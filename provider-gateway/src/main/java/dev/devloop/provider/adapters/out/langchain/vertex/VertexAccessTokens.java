package dev.devloop.provider.adapters.out.langchain.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devloop.provider.adapters.out.langchain.UpstreamHttpException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * OAuth2 access tokens for Vertex AI: either a fixed token ({@code DEVLOOP_VERTEX_ACCESS_TOKEN}),
 * or tokens minted from a credentials file ({@code GOOGLE_APPLICATION_CREDENTIALS}): a
 * service-account key with Google's JWT-bearer grant (RFC 7523: an RS256-signed assertion posted
 * to the key's {@code token_uri}), or gcloud's {@code authorized_user} application-default
 * credentials with the refresh-token grant. Tokens are cached until a minute before they expire.
 * Tokens and keys are never logged.
 */
public interface VertexAccessTokens {
    /** Scope of the minted tokens. */
    String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    /** A valid access token; throws {@link UpstreamHttpException} when the token endpoint refuses. */
    String token();

    /** A fixed token. */
    static VertexAccessTokens fixed(String token) {
        return () -> token;
    }

    /** Tokens minted from the credentials file at {@code path} (service account or authorized user), read on first use. */
    static VertexAccessTokens fromFile(Path path, Clock clock) {
        return new FileCredentials(path, clock);
    }

    /** Mints and caches tokens from a credentials file. */
    final class FileCredentials implements VertexAccessTokens {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Duration EARLY = Duration.ofSeconds(60);

        private final Path path;
        private final Clock clock;
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private String token;
        private Instant expires = Instant.MIN;

        FileCredentials(Path path, Clock clock) {
            this.path = path;
            this.clock = clock;
        }

        @Override
        public synchronized String token() {
            Instant now = clock.instant();
            if (token != null && now.isBefore(expires.minus(EARLY))) {
                return token;
            }
            JsonNode key = readKey();
            String tokenUri = key.path("token_uri").asText("https://oauth2.googleapis.com/token");
            String form = "authorized_user".equals(key.path("type").asText())
                    ? "grant_type=refresh_token" + "&client_id=" + encoded(key, "client_id") + "&client_secret="
                            + encoded(key, "client_secret") + "&refresh_token=" + encoded(key, "refresh_token")
                    : "grant_type="
                            + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                            + "&assertion=" + URLEncoder.encode(assertion(key, tokenUri, now), StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUri))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(
                        new java.io.InterruptedIOException("interrupted while fetching a Vertex AI access token"));
            }
            if (response.statusCode() >= 400) {
                // an OAuth refusal (invalid_grant…) is a credentials problem: report it as 401
                int status = response.statusCode() >= 500 ? response.statusCode() : 401;
                throw new UpstreamHttpException(
                        status, response.headers().firstValue("Retry-After").orElse(null), "");
            }
            try {
                JsonNode body = JSON.readTree(response.body());
                String minted = body.path("access_token").asText(null);
                if (minted == null || minted.isBlank()) {
                    throw new UpstreamHttpException(502, null, "");
                }
                token = minted;
                expires = now.plusSeconds(body.path("expires_in").asLong(3600));
                return token;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String encoded(JsonNode key, String field) {
            return URLEncoder.encode(key.path(field).asText(), StandardCharsets.UTF_8);
        }

        private JsonNode readKey() {
            try {
                JsonNode key = JSON.readTree(Files.readString(path));
                String type = key.path("type").asText();
                boolean serviceAccount = "service_account".equals(type)
                        && key.hasNonNull("client_email")
                        && key.hasNonNull("private_key");
                boolean user = "authorized_user".equals(type)
                        && key.hasNonNull("client_id")
                        && key.hasNonNull("client_secret")
                        && key.hasNonNull("refresh_token");
                if (!serviceAccount && !user) {
                    throw new IllegalStateException(
                            "Vertex AI credentials file " + path + " is neither a service-account key "
                                    + "(type service_account, client_email, private_key) nor gcloud application-default credentials "
                                    + "(type authorized_user, client_id, client_secret, refresh_token)");
                }
                return key;
            } catch (IOException e) {
                throw new IllegalStateException(
                        "Vertex AI credentials file " + path + " cannot be read: "
                                + e.getClass().getSimpleName(),
                        e);
            }
        }

        static String assertion(JsonNode key, String audience, Instant now) {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            ObjectMapper m = JSON;
            var header = m.createObjectNode().put("alg", "RS256").put("typ", "JWT");
            if (key.hasNonNull("private_key_id")) {
                header.put("kid", key.get("private_key_id").asText());
            }
            var claims = m.createObjectNode()
                    .put("iss", key.get("client_email").asText())
                    .put("scope", SCOPE)
                    .put("aud", audience)
                    .put("iat", now.getEpochSecond())
                    .put("exp", now.getEpochSecond() + 3600);
            String signingInput = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
            try {
                Signature rs256 = Signature.getInstance("SHA256withRSA");
                rs256.initSign(privateKey(key.get("private_key").asText()));
                rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                return signingInput + "." + b64.encodeToString(rs256.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(
                        "the service-account private_key cannot sign: "
                                + e.getClass().getSimpleName(),
                        e);
            }
        }

        private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
            String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        }
    }
}
